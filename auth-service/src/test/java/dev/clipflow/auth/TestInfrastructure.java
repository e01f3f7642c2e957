package dev.clipflow.auth;

import dev.clipflow.auth.support.AuthKeysResource;
import dev.clipflow.testinfra.resources.KafkaResource;
import dev.clipflow.testinfra.resources.MailResource;
import dev.clipflow.testinfra.resources.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real servers every test of this service runs against, started once per test run
 * (the annotations apply to all tests of the module). auth-service signs and verifies with its own
 * keys, so no stand-in JWKS is started: {@link AuthKeysResource} gives it a fresh key folder.
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MailResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = AuthKeysResource.class, restrictToAnnotatedClass = false)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
