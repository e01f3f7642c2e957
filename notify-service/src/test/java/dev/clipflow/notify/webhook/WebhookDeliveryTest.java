package dev.clipflow.notify.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoReplaced;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.testinfra.kafka.KafkaTestClient;
import dev.clipflow.notify.support.Receiver;
import dev.clipflow.notify.support.StandardWebhooksVerifier;
import dev.clipflow.testinfra.resources.JwtResource;
import dev.clipflow.notify.webhook.delivery.DeliveryPurge;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Platform events reach a real HTTP receiver, signed as the Standard Webhooks specification says. */
@QuarkusTest
class WebhookDeliveryTest {

    @Inject
    DeliveryPurge purge;

    @Inject
    EntityManager em;

    @Test
    void videoReadyArrivesSignedAndVerifiable() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start()) {
            JsonPath endpoint = register(owner, receiver.url("/hooks"), List.of("video.ready"));
            String secret = endpoint.getString("secret");
            assertThat(secret).startsWith("whsec_");

            UUID video = UUID.randomUUID();
            CloudEvent<VideoTranscoded> event = transcoded(owner, video);
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, event);

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/hooks").size() == 1);
            Receiver.Request request = receiver.requests("/hooks").get(0);
            assertThat(request.header("webhook-id")).startsWith("msg_");
            assertThat(request.header("content-type")).startsWith("application/json");
            assertThat(StandardWebhooksVerifier.verifies(secret, request)).isTrue();
            JsonPath body = JsonPath.from(request.body());
            assertThat(body.getString("type")).isEqualTo("video.ready");
            assertThat(body.getString("data.videoId")).isEqualTo(video.toString());
            assertThat(body.getList("data.renditions")).containsExactly("720p");

            // what a receiver must refuse: a changed body, a stale or future timestamp, another secret
            assertThat(StandardWebhooksVerifier.verifies(secret, request, request.body().replace("720p", "1080p"),
                    Instant.now())).isFalse();
            assertThat(StandardWebhooksVerifier.verifies(secret, request, request.body(),
                    Instant.now().plus(Duration.ofMinutes(10)))).isFalse();
            assertThat(StandardWebhooksVerifier.verifies(
                    "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), request)).isFalse();

            // the same event again (a replay) sends nothing new; an unsubscribed type neither
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, event);
            CloudEvent<VideoDeleted> deleted = CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service",
                    video.toString(), new VideoDeleted(video, owner, "a.mp4", 10, owner));
            KafkaTestClient.publish(Topics.VIDEO_DELETED, deleted);
            CloudEvent<VideoTranscoded> marker = transcoded(owner, UUID.randomUUID());
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, marker);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/hooks").size() >= 2);
            assertThat(receiver.requests("/hooks")).hasSize(2);
            assertThat(receiver.requests("/hooks").get(1).body()).contains(marker.data().videoId().toString());
        }
    }

    @Test
    void aRenditionReadyBeforeTheLadderIsDeliveredAsItsOwnType() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start()) {
            JsonPath endpoint = register(owner, receiver.url("/renditions"), List.of("video.rendition_ready"));
            UUID video = UUID.randomUUID();
            KafkaTestClient.publish(Topics.VIDEO_RENDITION_READY, CloudEvent.of(Topics.VIDEO_RENDITION_READY,
                    "/clipflow/transcode-service", video.toString(), new VideoRenditionReady(UUID.randomUUID(),
                            video, owner, new VideoRenditionReady.Rendition("480p", 854, 480, 1_400_000, 1_100_000,
                                    "avc1.64001e,mp4a.40.2", 30.0, "videos/" + video + "/hls/480p/index.m3u8"),
                            List.of("480p"), List.of("480p", "720p", "1080p"))));
            // video.ready is not subscribed: only the rendition arrives
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, video));

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/renditions").size() == 1);
            Receiver.Request request = receiver.requests("/renditions").get(0);
            assertThat(StandardWebhooksVerifier.verifies(endpoint.getString("secret"), request)).isTrue();
            JsonPath body = JsonPath.from(request.body());
            assertThat(body.getString("type")).isEqualTo("video.rendition_ready");
            assertThat(body.getString("data.videoId")).isEqualTo(video.toString());
            assertThat(body.getString("data.rendition")).isEqualTo("480p");
            assertThat(body.getList("data.ready")).containsExactly("480p");
            assertThat(body.getList("data.ladder")).containsExactly("480p", "720p", "1080p");
        }
    }

    /**
     * A replacement upload (POST /api/videos/{id}/replace) is uploaded and transcoded under its own media id; its
     * webhooks name the video it replaces: upload.completed and video.replaced (or video.replace_failed) name the
     * video with the media id beside it; no video.ready, video.rendition_ready or video.deleted names the media id.
     */
    @Test
    void aReplacementsEventsNameTheVideoItReplaces() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start()) {
            register(owner, receiver.url("/replace"), List.of("upload.completed", "video.ready", "video.rendition_ready",
                    "video.deleted", "video.failed", "video.replaced", "video.replace_failed"));
            UUID video = UUID.randomUUID();
            UUID media = UUID.randomUUID();
            UUID failing = UUID.randomUUID();
            KafkaTestClient.publish(Topics.VIDEO_UPLOADED, replacementUploaded(owner, media, video));
            KafkaTestClient.publish(Topics.VIDEO_UPLOADED, replacementUploaded(owner, failing, video));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/replace").size() == 2);

            KafkaTestClient.publish(Topics.VIDEO_RENDITION_READY, CloudEvent.of(Topics.VIDEO_RENDITION_READY,
                    "/clipflow/transcode-service", media.toString(), new VideoRenditionReady(UUID.randomUUID(),
                            media, owner, new VideoRenditionReady.Rendition("480p", 854, 480, 1_400_000, 1_100_000,
                                    "avc1.64001e,mp4a.40.2", 30.0, "videos/" + media + "/hls/480p/index.m3u8"),
                            List.of("480p"), List.of("480p"))));
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, media));
            KafkaTestClient.publish(Topics.VIDEO_REPLACED, CloudEvent.of(Topics.VIDEO_REPLACED,
                    "/clipflow/catalog-service", video.toString(), new VideoReplaced(video, owner, video, media,
                            1_000, 2_000, null, null, null, Instant.now())));
            KafkaTestClient.publish(Topics.VIDEO_FAILED, CloudEvent.of(Topics.VIDEO_FAILED,
                    "/clipflow/transcode-service", failing.toString(), new VideoFailed(UUID.randomUUID(), failing,
                            owner, "TRANSCODE", "The file is not a readable video.")));
            KafkaTestClient.publish(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED,
                    "/clipflow/catalog-service", failing.toString(), new VideoDeleted(failing, owner, "new.mp4", 10, owner)));
            UUID other = UUID.randomUUID();
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, other));

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/replace").size() >= 5);
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // anything sent for the media ids comes too
            Map<String, JsonPath> byType = new java.util.HashMap<>();
            List<String> types = new java.util.ArrayList<>();
            for (Receiver.Request request : receiver.requests("/replace")) {
                JsonPath body = JsonPath.from(request.body());
                types.add(body.getString("type"));
                byType.put(body.getString("type"), body);
                if (!body.getString("type").equals("video.ready")) {
                    assertThat(body.getString("data.videoId")).as(request.body()).isEqualTo(video.toString());
                }
            }
            assertThat(types).containsExactlyInAnyOrder("upload.completed", "upload.completed", "video.replaced",
                    "video.replace_failed", "video.ready");
            assertThat(byType.get("video.ready").getString("data.videoId")).isEqualTo(other.toString());
            assertThat(byType.get("upload.completed").getBoolean("data.replace")).isTrue();
            assertThat(byType.get("video.replaced").getString("data.mediaId")).isEqualTo(media.toString());
            assertThat(byType.get("video.replaced").getString("data.previousMediaId")).isEqualTo(video.toString());
            assertThat(byType.get("video.replace_failed").getString("data.mediaId")).isEqualTo(failing.toString());
            assertThat(byType.get("video.replace_failed").getString("data.reason"))
                    .isEqualTo("The file is not a readable video.");
        }
    }

    static CloudEvent<VideoUploaded> replacementUploaded(UUID owner, UUID media, UUID video) {
        return CloudEvent.of(Topics.VIDEO_UPLOADED, "/clipflow/upload-service", media.toString(), new VideoUploaded(
                media, owner, UUID.randomUUID(), "new.mp4", "video/mp4", 2_000, "ab".repeat(32),
                "originals/" + media + "/source", null, null, null, Instant.now(), null, video));
    }

    @Test
    void failedDeliveriesAreRetriedWithGrowingGapsAndLogged() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start().answer(500, 500, 503)) {
            JsonPath endpoint = register(owner, receiver.url("/flaky"), List.of("video.ready"));
            String id = endpoint.getString("id");
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));

            await().atMost(Duration.ofSeconds(40)).until(() -> receiver.requests("/flaky").size() == 4);
            List<Receiver.Request> attempts = receiver.requests("/flaky");
            // the same message every time, each attempt signed afresh
            assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
            assertThat(attempts).allMatch(r -> StandardWebhooksVerifier.verifies(endpoint.getString("secret"), r));
            Duration first = Duration.between(attempts.get(0).at(), attempts.get(1).at());
            Duration second = Duration.between(attempts.get(1).at(), attempts.get(2).at());
            Duration third = Duration.between(attempts.get(2).at(), attempts.get(3).at());
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);

            JsonPath log = await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(user(owner))
                    .get("/api/webhooks/" + id + "/deliveries").then().statusCode(200).extract().jsonPath(),
                    l -> "SUCCEEDED".equals(l.getString("items[0].status")));
            assertThat(log.getInt("total")).isEqualTo(1);
            assertThat(log.getInt("items[0].attempts")).isEqualTo(4);
            assertThat(log.getList("items[0].attemptLog.statusCode", Integer.class)).containsExactly(500, 500, 503, 200);
            assertThat(log.getList("items[0].attemptLog.attempt", Integer.class)).containsExactly(1, 2, 3, 4);
            assertThat(log.getString("items[0].attemptLog[0].responseExcerpt")).isEqualTo("{\"received\":500}");
            assertThat(log.getLong("items[0].attemptLog[0].latencyMs")).isGreaterThanOrEqualTo(0);

            // manual redelivery: once more, same webhook-id
            String delivery = log.getString("items[0].id");
            given().auth().oauth2(user(owner)).post("/api/webhooks/" + id + "/deliveries/" + delivery + "/redeliver")
                    .then().statusCode(202).body("status", equalTo("PENDING"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests("/flaky").size() == 5);
            assertThat(receiver.requests("/flaky").get(4).header("webhook-id"))
                    .isEqualTo(attempts.get(0).header("webhook-id"));
        }
    }

    @Test
    void redirectsAreNotFollowed() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start().answer(302)) {
            receiver.redirectTo(receiver.url("/elsewhere"));
            String id = register(owner, receiver.url("/moved"), List.of("video.ready")).getString("id");
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));
            await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(user(owner))
                    .get("/api/webhooks/" + id + "/deliveries").then().extract().jsonPath()
                    .getList("items[0].attemptLog").size() >= 1);
            assertThat(receiver.requests("/elsewhere")).isEmpty();
            given().auth().oauth2(user(owner)).get("/api/webhooks/" + id + "/deliveries").then()
                    .body("items[0].attemptLog[0].statusCode", equalTo(302))
                    .body("items[0].status", equalTo("PENDING"));
        }
    }

    @Test
    void aHugeAnswerIsCutAndASlowOneTimesOut() {
        UUID owner = UUID.randomUUID();
        try (Receiver huge = Receiver.start().answerBodyOf(20 * 1024 * 1024);
             Receiver slow = Receiver.start().delay(6_000)) {
            String hugeId = register(owner, huge.url("/huge"), List.of("video.ready")).getString("id");
            String slowId = register(owner, slow.url("/slow"), List.of("video.ready")).getString("id");
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));

            // 20 MiB of answer: read up to the cap, logged as 500 characters, a success (2xx)
            JsonPath hugeLog = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(user(owner))
                    .get("/api/webhooks/" + hugeId + "/deliveries").then().extract().jsonPath(),
                    l -> "SUCCEEDED".equals(l.getString("items[0].status")));
            assertThat(hugeLog.getString("items[0].attemptLog[0].responseExcerpt")).hasSize(500);

            // no answer within the request timeout (3 s in tests): an error, retried later
            JsonPath slowLog = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(user(owner))
                    .get("/api/webhooks/" + slowId + "/deliveries").then().extract().jsonPath(),
                    l -> l.getList("items[0].attemptLog").size() >= 1);
            assertThat(slowLog.getString("items[0].attemptLog[0].statusCode")).isNull();
            assertThat(slowLog.getString("items[0].attemptLog[0].error")).isNotBlank();
            assertThat(slowLog.getLong("items[0].attemptLog[0].latencyMs")).isBetween(2_900L, 5_900L);
        }
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneDuringItsGrace() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start()) {
            JsonPath endpoint = register(owner, receiver.url("/rotating"), List.of("video.ready"));
            String old = endpoint.getString("secret");
            JsonPath rotated = given().auth().oauth2(user(owner)).contentType("application/json")
                    .body(Map.of("graceSeconds", 3600))
                    .post("/api/webhooks/" + endpoint.getString("id") + "/rotate-secret")
                    .then().statusCode(200).body("secret", startsWith("whsec_")).extract().jsonPath();
            String fresh = rotated.getString("secret");
            assertThat(fresh).isNotEqualTo(old);
            assertThat(rotated.getString("previousSecretExpiresAt")).isNotNull();
            // shown once: reading the endpoint never shows a secret
            given().auth().oauth2(user(owner)).get("/api/webhooks/" + endpoint.getString("id"))
                    .then().statusCode(200).body("secret", equalTo(null));

            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/rotating").size() == 1);
            Receiver.Request request = receiver.requests("/rotating").get(0);
            assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(StandardWebhooksVerifier.verifies(fresh, request)).isTrue();
            assertThat(StandardWebhooksVerifier.verifies(old, request)).isTrue();
        }
    }

    @Test
    void anEndpointFailingForLongIsDisabledAndItsOwnerToldThroughAnEvent() {
        UUID owner = UUID.randomUUID();
        try (Receiver receiver = Receiver.start().answer(500, 500, 500, 500, 500, 500, 500, 500)) {
            String id = register(owner, receiver.url("/down"), List.of("video.ready")).getString("id");
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));

            JsonNode disabled = KafkaTestClient.awaitData(Topics.WEBHOOK_DISABLED, "endpointId", id, Duration.ofSeconds(40))
                    .get("data");
            assertThat(disabled.get("userId").asText()).isEqualTo(owner.toString());
            assertThat(disabled.get("reason").asText()).contains("HTTP 500");
            given().auth().oauth2(user(owner)).get("/api/webhooks/" + id).then().statusCode(200)
                    .body("enabled", equalTo(false));
            int sent = receiver.requests("/down").size();

            // disabled: later events are not sent to it
            KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(owner, UUID.randomUUID()));
            given().auth().oauth2(user(owner)).contentType("application/json")
                    .body(Map.of("url", receiver.url("/down"), "eventTypes", List.of("video.ready"), "enabled", false))
                    .put("/api/webhooks/" + id).then().statusCode(200);
            assertThat(receiver.requests("/down")).hasSize(sent);
        }
    }

    @Test
    void aPlatformEndpointReceivesEveryUsersEvents() {
        UUID erin = UUID.randomUUID();
        UUID frank = UUID.randomUUID();
        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        try (Receiver receiver = Receiver.start()) {
            JsonPath endpoint = given().auth().oauth2(admin).contentType("application/json")
                    .body(Map.of("url", receiver.url("/ops"), "eventTypes", List.of("video.ready"), "allUsers", true))
                    .post("/api/webhooks").then().statusCode(201).extract().jsonPath();
            String id = endpoint.getString("id");
            try {
                UUID erinsVideo = UUID.randomUUID();
                UUID franksVideo = UUID.randomUUID();
                KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(erin, erinsVideo));
                KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(frank, franksVideo));
                // other tests' events reach it too: look for these two
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests("/ops").stream()
                        .filter(r -> r.body().contains(erinsVideo.toString()) || r.body().contains(franksVideo.toString()))
                        .count() == 2);
                for (Receiver.Request request : receiver.requests("/ops")) {
                    assertThat(StandardWebhooksVerifier.verifies(endpoint.getString("secret"), request)).isTrue();
                    JsonPath body = JsonPath.from(request.body());
                    if (body.getString("data.videoId").equals(erinsVideo.toString())) {
                        assertThat(body.getString("data.userId")).isEqualTo(erin.toString());
                    } else if (body.getString("data.videoId").equals(franksVideo.toString())) {
                        assertThat(body.getString("data.userId")).isEqualTo(frank.toString());
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(admin)
                        .get("/api/webhooks/" + id + "/deliveries").then().statusCode(200).extract().jsonPath()
                        .getList("items.status").stream().filter("SUCCEEDED"::equals).count() >= 2);
                given().auth().oauth2(user(erin)).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
            } finally {
                given().auth().oauth2(admin).delete("/api/webhooks/" + id).then().statusCode(204);
            }
        }
    }

    @Test
    void aFailingPlatformEndpointIsDisabledThoughNoOneOwnsIt() {
        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        Integer[] failures = new Integer[50];
        java.util.Arrays.fill(failures, 500);
        try (Receiver receiver = Receiver.start().answer(failures)) {
            String id = given().auth().oauth2(admin).contentType("application/json")
                    .body(Map.of("url", receiver.url("/ops-down"), "eventTypes", List.of("video.ready"), "allUsers", true))
                    .post("/api/webhooks").then().statusCode(201).extract().path("id");
            try {
                KafkaTestClient.publish(Topics.VIDEO_TRANSCODED, transcoded(UUID.randomUUID(), UUID.randomUUID()));
                // no owner to mail: disabling must still happen (and not roll back over a missing owner)
                await().atMost(Duration.ofSeconds(40)).until(() -> !given().auth().oauth2(admin)
                        .get("/api/webhooks/" + id).then().statusCode(200).extract().jsonPath().getBoolean("enabled"));
                given().auth().oauth2(admin).get("/api/webhooks/" + id).then()
                        .body("disabledReason", org.hamcrest.Matchers.containsString("HTTP 500"));
            } finally {
                given().auth().oauth2(admin).delete("/api/webhooks/" + id).then().statusCode(204);
            }
        }
    }

    @Test
    void finishedDeliveriesArePurgedAfterTheRetentionPendingOnesNever() {
        UUID owner = UUID.randomUUID();
        UUID endpoint = UUID.fromString(register(owner, "http://127.0.0.1:9/purge", List.of("video.ready")).getString("id"));
        Instant old = Instant.now().minus(Duration.ofDays(31));
        Instant recent = Instant.now().minus(Duration.ofDays(1));
        // five finished long ago (more than two purge batches in the test profile), one pending since long
        // ago (a retry due in the future), one finished recently
        List<UUID> expired = List.of(delivery(endpoint, "SUCCEEDED", old), delivery(endpoint, "FAILED", old),
                delivery(endpoint, "SUCCEEDED", old), delivery(endpoint, "SUCCEEDED", old),
                delivery(endpoint, "FAILED", old));
        UUID pending = delivery(endpoint, "PENDING", old);
        UUID fresh = delivery(endpoint, "SUCCEEDED", recent);

        purge.purge();

        List<String> left = given().auth().oauth2(user(owner)).get("/api/webhooks/" + endpoint + "/deliveries")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(left).containsExactlyInAnyOrder(pending.toString(), fresh.toString());
        long attemptsLeft = QuarkusTransaction.requiringNew().call(() -> (Long) em.createQuery(
                "select count(a) from Attempt a where a.deliveryId in ?1").setParameter(1, expired).getSingleResult());
        assertThat(attemptsLeft).isZero();
    }

    /** A delivery with one attempt, created and (unless PENDING) completed at {@code at}. */
    private UUID delivery(UUID endpoint, String status, Instant at) {
        UUID id = UUID.randomUUID();
        boolean pending = status.equals("PENDING");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                    insert into webhook_delivery (id, endpoint_id, message_id, event_type, payload, status, attempts,
                        next_attempt_at, created_at, completed_at)
                    values (?1, ?2, ?3, 'video.ready', '{}', ?4, 1, ?5, ?6, ?6)""")
                    .setParameter(1, id).setParameter(2, endpoint).setParameter(3, "msg_" + id)
                    .setParameter(4, status)
                    .setParameter(5, pending ? Instant.now().plus(Duration.ofHours(1)) : at)
                    .setParameter(6, at)
                    .executeUpdate();
            if (pending) {
                em.createNativeQuery("update webhook_delivery set completed_at = null where id = ?1").setParameter(1, id)
                        .executeUpdate();
            }
            em.createNativeQuery("""
                    insert into webhook_attempt (delivery_id, attempt, attempted_at, status_code, latency_ms)
                    values (?1, 1, ?2, 500, 3)""").setParameter(1, id).setParameter(2, at).executeUpdate();
        });
        return id;
    }

    static JsonPath register(UUID owner, String url, List<String> types) {
        return given().auth().oauth2(user(owner)).contentType("application/json")
                .body(Map.of("url", url, "eventTypes", types))
                .post("/api/webhooks").then().statusCode(201).extract().jsonPath();
    }

    static String user(UUID id) {
        return JwtResource.tokens().user(id);
    }

    static CloudEvent<VideoTranscoded> transcoded(UUID owner, UUID video) {
        return CloudEvent.of(Topics.VIDEO_TRANSCODED, "/clipflow/transcode-service", video.toString(),
                new VideoTranscoded(UUID.randomUUID(), video, owner, 12.5, 1280, 720, "h264", "aac",
                        "videos/" + video + "/video.mp4", 5_000_000, "videos/" + video + "/hls/master.m3u8",
                        "videos/" + video + "/thumbnail.jpg",
                        List.of(new VideoTranscoded.Rendition("720p", 1280, 720, 2_800_000,
                                "videos/" + video + "/hls/720p/index.m3u8")), 9_000_000));
    }
}
