package dev.clipflow.auth.alert;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.WebhookDisabled;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** quota.alerts from the real broker become one e-mail per crossing; replays send nothing; users can opt out. */
@QuarkusTest
class QuotaAlertMailTest {

    @Inject
    EntityManager em;

    @Test
    void oneMailPerCrossingAndNoneForAReplay() throws Exception {
        String email = Accounts.newEmail();
        UUID userId = Accounts.registerActive(email);
        CloudEvent<QuotaAlert> storage80 = alert(userId, "STORAGE", 80);
        CloudEvent<QuotaAlert> bandwidth100 = alert(userId, "BANDWIDTH", 100);

        publish(storage80);
        publish(bandwidth100);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Accounts.mails(email, "80 % of your storage")).hasSize(1);
            assertThat(Accounts.mails(email, "100 % of your bandwidth")).hasSize(1);
        });
        assertThat(Accounts.body(Accounts.mails(email, "80 % of your storage").get(0)))
                .contains("40.0 MiB of its 50.0 MiB storage limit");

        // the same events again (a replay, a redelivery), then a marker event to know the consumer got past them
        publish(storage80);
        publish(bandwidth100);
        publish(alert(userId, "STORAGE", 100));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Accounts.mails(email, "100 % of your storage")).hasSize(1));
        assertThat(Accounts.mails(email, "80 % of your storage")).hasSize(1);
        assertThat(Accounts.mails(email, "100 % of your bandwidth")).hasSize(1);
    }

    @Test
    void usersWhoTurnedAlertMailOffGetNone() throws Exception {
        String email = Accounts.newEmail();
        UUID userId = Accounts.registerActive(email);
        String token = Accounts.accessToken(email);
        given().auth().oauth2(token).get("/api/auth/me/settings").then().statusCode(200)
                .body("quotaAlertMail", equalTo(true));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("quotaAlertMail", false))
                .put("/api/auth/me/settings").then().statusCode(200).body("quotaAlertMail", equalTo(false));
        given().auth().oauth2(token).get("/api/auth/me/settings").then().statusCode(200)
                .body("quotaAlertMail", equalTo(false));

        CloudEvent<QuotaAlert> muted = alert(userId, "STORAGE", 80);
        publish(muted);
        await().atMost(Duration.ofSeconds(20)).until(() -> applied(muted.id()));

        // turned back on: the next crossing is mailed, and it is the only alert mail the user ever got
        given().auth().oauth2(token).contentType("application/json").body(Map.of("quotaAlertMail", true))
                .put("/api/auth/me/settings").then().statusCode(200).body("quotaAlertMail", equalTo(true));
        publish(alert(userId, "STORAGE", 100));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Accounts.mails(email, "100 % of your storage")).hasSize(1));
        assertThat(Accounts.mails(email, "of your storage")).hasSize(1);
    }

    @Test
    void aDisabledWebhookEndpointIsMailedOnce() throws Exception {
        String email = Accounts.newEmail();
        UUID userId = Accounts.registerActive(email);
        CloudEvent<WebhookDisabled> disabled = new CloudEvent<>(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(),
                "/clipflow/notify-service", Topics.eventType(Topics.WEBHOOK_DISABLED), userId.toString(), Instant.now(),
                CloudEvent.JSON, new WebhookDisabled(userId, UUID.randomUUID(), "https://hooks.example.com/clipflow",
                        "Deliveries have failed since 2026-12-01T10:00:00Z; the last one: HTTP 503", Instant.now()));
        publish(Topics.WEBHOOK_DISABLED, disabled);
        publish(Topics.WEBHOOK_DISABLED, disabled);
        await().atMost(Duration.ofSeconds(20)).until(() -> applied(disabled.id()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Accounts.mails(email, "webhook endpoint was disabled")).hasSize(1));
        assertThat(Accounts.body(Accounts.mails(email, "webhook endpoint was disabled").get(0)))
                .contains("https://hooks.example.com/clipflow").contains("HTTP 503");
    }

    @Test
    void settingsNeedASignedInUserAndAWellFormedBody() {
        given().get("/api/auth/me/settings").then().statusCode(401);
        String token = Accounts.accessToken(Accounts.registerActiveEmail());
        given().auth().oauth2(token).contentType("application/json").body("{\"quotaAlertMail\":\"maybe\"}")
                .put("/api/auth/me/settings").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/json").body("{\"unknown\":true}")
                .put("/api/auth/me/settings").then().statusCode(400).contentType("application/problem+json");
    }

    private boolean applied(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from inbox_event where event_id = ?1").setParameter(1, eventId).getSingleResult())
                .intValue() == 1);
    }

    private static CloudEvent<QuotaAlert> alert(UUID userId, String resource, int threshold) {
        long limit = 52_428_800;
        long used = limit * threshold / 100;
        return new CloudEvent<>(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(), "/clipflow/quota-service",
                Topics.eventType(Topics.QUOTA_ALERTS), userId.toString(), Instant.now(), CloudEvent.JSON,
                new QuotaAlert(userId, resource, threshold, used, limit, threshold));
    }

    private static void publish(CloudEvent<QuotaAlert> event) throws Exception {
        publish(Topics.QUOTA_ALERTS, event);
    }

    private static void publish(String topic, CloudEvent<?> event) throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, event.subject(),
                    EventJson.mapper().writeValueAsString(event))).get();
        }
    }
}
