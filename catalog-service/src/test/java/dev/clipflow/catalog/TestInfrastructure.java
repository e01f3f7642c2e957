package dev.clipflow.catalog;

import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.testinfra.resources.JwtResource;
import dev.clipflow.testinfra.resources.KafkaResource;
import dev.clipflow.testinfra.resources.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real servers every test of this service runs against, started once per test run
 * (the annotations apply to all tests of the module): PostgreSQL, Kafka, the JWKS/token endpoint,
 * and a stand-in for quota-service's internal API plus a fresh blob store folder.
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = JwtResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = CatalogTestResource.class, restrictToAnnotatedClass = false)
public final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
