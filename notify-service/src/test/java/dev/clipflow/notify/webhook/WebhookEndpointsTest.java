package dev.clipflow.notify.webhook;

import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.testinfra.kafka.KafkaTestClient;
import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Registering endpoints: ownership, validation, the SSRF guard. */
@QuarkusTest
class WebhookEndpointsTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/hook", "http://192.168.1.10/hook", "http://169.254.169.254/latest/meta-data",
            "http://172.16.5.4:8080/x", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://0.0.0.0/hook",
            "http://100.64.0.1/hook", "http://224.0.0.1/hook", "http://metadata.google.internal/computeMetadata/v1/"})
    void privateAndInternalTargetsAreRefused(String url) {
        UUID owner = UUID.randomUUID();
        given().auth().oauth2(user(owner)).contentType("application/json")
                .body(Map.of("url", url, "eventTypes", List.of("video.ready")))
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("webhook.url_refused"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/", "not a url",
            "http:///nohost", "https://example.com/#frag"})
    void malformedUrlsAreRefused(String url) {
        given().auth().oauth2(user(UUID.randomUUID())).contentType("application/json")
                .body(Map.of("url", url, "eventTypes", List.of("video.ready")))
                .post("/api/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("webhook.invalid_url"));
    }

    /** Found by the bad-input sweep: two rotations at once made one fail its version check with a 500. */
    @Test
    void concurrentChangesOfOneEndpointAllSucceed() throws Exception {
        String token = user(UUID.randomUUID());
        String id = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/race", "eventTypes", List.of("video.ready")))
                .post("/api/webhooks").then().statusCode(201).extract().jsonPath().getString("id");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                boolean put = i % 3 == 0;
                answers.add(pool.submit(() -> put
                        ? given().auth().oauth2(token).contentType("application/json")
                                .body(Map.of("url", "http://127.0.0.1:9/race", "eventTypes", List.of("video.ready")))
                                .put("/api/webhooks/" + id).statusCode()
                        : given().auth().oauth2(token).contentType("application/json").body("{}")
                                .post("/api/webhooks/" + id + "/rotate-secret").statusCode()));
            }
            for (java.util.concurrent.Future<Integer> answer : answers) {
                org.assertj.core.api.Assertions.assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownEventTypesAreRefused() {
        given().auth().oauth2(user(UUID.randomUUID())).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/x", "eventTypes", List.of("video.exploded")))
                .post("/api/webhooks").then().statusCode(400).body("code", equalTo("webhook.invalid_event_types"));
        given().auth().oauth2(user(UUID.randomUUID())).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/x", "eventTypes", List.of()))
                .post("/api/webhooks").then().statusCode(400).body("code", equalTo("webhook.invalid_event_types"));
    }

    @Test
    void endpointsBelongToTheirOwnerAndAdminsSeeAll() {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        String id = given().auth().oauth2(user(alice)).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/alice", "eventTypes", List.of("video.ready", "job.failed"),
                        "description", "CI"))
                .post("/api/webhooks").then().statusCode(201)
                .header("Location", containsString("/api/webhooks/"))
                .body("enabled", equalTo(true)).body("ownerId", equalTo(alice.toString()))
                .extract().path("id");

        given().auth().oauth2(user(alice)).get("/api/webhooks").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items[0].secret", nullValue());
        given().auth().oauth2(user(bob)).get("/api/webhooks/" + id).then().statusCode(404)
                .body("code", equalTo("webhook.not_found"));
        given().auth().oauth2(user(bob)).get("/api/webhooks").then().statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(user(bob)).delete("/api/webhooks/" + id).then().statusCode(404);
        given().auth().oauth2(user(bob)).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);

        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        given().auth().oauth2(admin).get("/api/webhooks?ownerId=" + alice).then().statusCode(200)
                .body("items.id", hasItem(id));
        given().auth().oauth2(admin).get("/api/webhooks?ownerId=" + bob).then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth().oauth2(admin).get("/api/webhooks?ownerId=nobody").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("request.invalid_value"));
        given().auth().oauth2(admin).get("/api/webhooks/" + id).then().statusCode(200).body("secret", nullValue());
        given().auth().oauth2(admin).get("/api/webhooks/" + id + "/deliveries").then().statusCode(200);
        // a user's ownerId is ignored: they list their own
        given().auth().oauth2(user(bob)).get("/api/webhooks?ownerId=" + alice).then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/alice2", "eventTypes", List.of("video.failed"), "enabled", false))
                .put("/api/webhooks/" + id).then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/alice2")).body("eventTypes", equalTo(List.of("video.failed")))
                .body("enabled", equalTo(false));

        given().auth().oauth2(user(alice)).delete("/api/webhooks/" + id).then().statusCode(204);
        given().auth().oauth2(user(alice)).get("/api/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void onlyAdminsRegisterPlatformEndpointsAndUsersNeverSeeThem() {
        UUID dave = UUID.randomUUID();
        Map<String, Object> platform = Map.of("url", "http://127.0.0.1:9/ops", "eventTypes", List.of("video.failed"),
                "enabled", false, "allUsers", true);
        given().auth().oauth2(user(dave)).contentType("application/json").body(platform)
                .post("/api/webhooks").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("auth.forbidden"));
        given().auth().oauth2(user(dave)).get("/api/webhooks").then().statusCode(200)
                .body("items.allUsers", not(hasItem(true)));

        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        String id = given().auth().oauth2(admin).contentType("application/json").body(platform)
                .post("/api/webhooks").then().statusCode(201)
                .body("allUsers", equalTo(true)).body("ownerId", nullValue()).body("secret", startsWith("whsec_"))
                .extract().path("id");
        try {
            given().auth().oauth2(user(dave)).get("/api/webhooks/" + id).then().statusCode(404)
                    .body("code", equalTo("webhook.not_found"));
            given().auth().oauth2(user(dave)).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
            given().auth().oauth2(user(dave)).delete("/api/webhooks/" + id).then().statusCode(404);
            // any admin manages it (not only the one who registered it)
            String otherAdmin = JwtResource.tokens().admin(UUID.randomUUID());
            given().auth().oauth2(otherAdmin).get("/api/webhooks").then().statusCode(200).body("items.id", hasItem(id));
            given().auth().oauth2(otherAdmin).get("/api/webhooks/" + id + "/deliveries").then().statusCode(200);
            given().auth().oauth2(otherAdmin).contentType("application/json")
                    .body(Map.of("url", "http://127.0.0.1:9/ops", "eventTypes", List.of("video.failed"), "allUsers", false))
                    .put("/api/webhooks/" + id).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("webhook.invalid_scope"));
            given().auth().oauth2(otherAdmin).contentType("application/json")
                    .body(Map.of("url", "http://127.0.0.1:9/ops2", "eventTypes", List.of("video.failed"), "enabled", false))
                    .put("/api/webhooks/" + id).then().statusCode(200).body("allUsers", equalTo(true))
                    .body("url", equalTo("http://127.0.0.1:9/ops2"));
        } finally {
            given().auth().oauth2(admin).delete("/api/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void aDeletedUsersEndpointsGoWithThem() {
        UUID carol = UUID.randomUUID();
        String id = given().auth().oauth2(user(carol)).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/carol", "eventTypes", List.of("video.ready")))
                .post("/api/webhooks").then().statusCode(201).extract().path("id");
        KafkaTestClient.publish(Topics.USER_DELETED,
                CloudEvent.of(Topics.USER_DELETED,
                        "/clipflow/auth-service", carol.toString(),
                        new UserDeleted(carol, "carol@example.com", null)));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).get("/api/webhooks/" + id)
                        .statusCode() == 404);
    }

    @Test
    void withoutATokenNothing() {
        given().get("/api/webhooks").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body("{}").post("/api/webhooks").then().statusCode(401);
    }

    private static String user(UUID id) {
        return JwtResource.tokens().user(id);
    }
}
