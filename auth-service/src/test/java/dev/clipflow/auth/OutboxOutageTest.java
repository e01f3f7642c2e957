package dev.clipflow.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.auth.bootstrap.AdminBootstrap;
import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.support.UserDeletedEvents;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.testinfra.resources.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deletion while Kafka is down still reaches Kafka once it is back (transactional outbox), and the service is
 * ready again soon after: its consumers rejoin (readiness counts their broker connections, so it is DOWN for a few
 * seconds after the broker's return). The wait also leaves the shared service ready for the test classes after this
 * one ({@code PlatformTest} checks readiness at once).
 */
@QuarkusTest
class OutboxOutageTest {

    @Inject
    AdminBootstrap bootstrap;

    @Test
    void userDeletedSurvivesAKafkaOutage() {
        bootstrap.ensureAdmin();
        String admin = Accounts.adminToken();
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);

        KafkaResource.broker().kill();
        try {
            given().auth().oauth2(admin).delete("/api/admin/users/" + id).then().statusCode(204);
        } finally {
            KafkaResource.restart();
        }

        JsonNode event = UserDeletedEvents.json(UserDeletedEvents.await(id, Duration.ofSeconds(90)));
        assertThat(EventSchemas.validateEvent(Topics.USER_DELETED, event)).isEmpty();
        assertThat(event.path("data").path("userId").asText()).isEqualTo(id.toString());
        assertThat(event.path("source").asText()).isEqualTo("/clipflow/auth-service");
        await("auth-service ready again after Kafka's return").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
