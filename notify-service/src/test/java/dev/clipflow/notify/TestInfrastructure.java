package dev.clipflow.notify;

import dev.clipflow.testinfra.resources.PostgresResource;
import dev.clipflow.testinfra.resources.JwtResource;
import dev.clipflow.testinfra.resources.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real servers every test of this service runs against, started once per test run
 * (the annotations apply to all tests of the module).
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = JwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
