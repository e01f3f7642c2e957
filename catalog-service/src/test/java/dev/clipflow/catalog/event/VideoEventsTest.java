package dev.clipflow.catalog.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.testinfra.resources.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Events published to the real broker, as upload, transcode and auth publish them. */
@QuarkusTest
class VideoEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Inject
    dev.clipflow.storage.BlobStore store;

    private static <T> CloudEvent<T> event(String topic, UUID subject, T data) {
        return CloudEvent.of(topic, "/clipflow/test", subject.toString(), data);
    }

    private static CloudEvent<VideoUploaded> uploaded(UUID id, UUID owner, String title) {
        return event(Topics.VIDEO_UPLOADED, id, new VideoUploaded(id, owner, UUID.randomUUID(), title + ".mp4",
                "video/mp4", 5_000_000, null, BlobKeys.original(id), title, "about " + title, "Documentary",
                Instant.now()));
    }

    private static CloudEvent<VideoTranscoded> transcoded(UUID id, UUID owner) {
        return event(Topics.VIDEO_TRANSCODED, id, new VideoTranscoded(UUID.randomUUID(), id, owner, 12.5, 1280, 720,
                "h264", "aac", BlobKeys.mp4(id), 4_000_000, BlobKeys.hlsMaster(id), BlobKeys.thumbnail(id),
                List.of(new VideoTranscoded.Rendition("480p", 854, 480, 1_400_000, BlobKeys.hls(id, "480p/index.m3u8")),
                        new VideoTranscoded.Rendition("720p", 1280, 720, 2_800_000, BlobKeys.hls(id, "720p/index.m3u8"))),
                9_000_000, null, null, null, BlobKeys.audio(id)));
    }

    private static CloudEvent<TranscodeProgress> progress(UUID id, UUID owner, int percent) {
        return event(Topics.TRANSCODE_PROGRESS, id, new TranscodeProgress(UUID.randomUUID(), id, owner, "RUNNING", percent));
    }

    private static void send(String topic, CloudEvent<?> event) {
        KafkaTopics.send(topic, event.subject(), event);
    }

    private static void awaitStatus(UUID owner, UUID id, String status) {
        await().atMost(WAIT).untilAsserted(() ->
                as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("status", equalTo(status)));
    }

    @Test
    void uploadProgressTranscodedMakesAReadyVideo() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(id, owner, "Lecture"));
        awaitStatus(owner, id, "PROCESSING");
        as(owner).get("/api/videos/{id}", id).then().body("title", equalTo("Lecture"))
                .body("fileName", equalTo("Lecture.mp4")).body("sizeBytes", equalTo(5_000_000))
                .body("category", equalTo("Documentary")).body("progress", equalTo(0));

        send(Topics.TRANSCODE_PROGRESS, progress(id, owner, 40));
        await().atMost(WAIT).untilAsserted(() ->
                as(owner).get("/api/videos/{id}", id).then().body("progress", equalTo(40)));

        send(Topics.VIDEO_TRANSCODED, transcoded(id, owner));
        awaitStatus(owner, id, "READY");
        as(owner).get("/api/videos/{id}", id).then().body("progress", equalTo(100))
                .body("durationSeconds", equalTo(12.5f)).body("width", equalTo(1280)).body("height", equalTo(720))
                .body("renditions.name", org.hamcrest.Matchers.contains("480p", "720p"))
                .body("sizeBytes", equalTo(5_000_000))
                .body("hlsUrl", org.hamcrest.Matchers.endsWith("/hls/r/" + id + "/master.m3u8"));

        // a late progress event after READY changes nothing; a later marker proves it was consumed
        CloudEvent<TranscodeProgress> late = progress(id, owner, 70);
        send(Topics.TRANSCODE_PROGRESS, late);
        await().atMost(WAIT).until(() -> inboxCount(late.id()) == 1);
        as(owner).get("/api/videos/{id}", id).then().body("status", equalTo("READY")).body("progress", equalTo(100));
    }

    @Test
    void transcodedBeforeUploadedStillEndsReadyWithTheUploadDetails() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        send(Topics.VIDEO_TRANSCODED, transcoded(id, owner));
        awaitStatus(owner, id, "READY");
        send(Topics.VIDEO_UPLOADED, uploaded(id, owner, "Out of order"));
        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", id).then()
                .body("title", equalTo("Out of order")).body("status", equalTo("READY"))
                .body("fileName", equalTo("Out of order.mp4")).body("sizeBytes", equalTo(5_000_000)));
    }

    @Test
    void failureIsRecordedButNeverUndoesReady() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(id, owner, "Broken"));
        send(Topics.VIDEO_FAILED, event(Topics.VIDEO_FAILED, id,
                new VideoFailed(UUID.randomUUID(), id, owner, "TRANSCODE", "The file has no video stream.")));
        awaitStatus(owner, id, "FAILED");
        as(owner).get("/api/videos/{id}", id).then().body("failureReason", equalTo("The file has no video stream."));

        UUID good = UUID.randomUUID();
        send(Topics.VIDEO_TRANSCODED, transcoded(good, owner));
        awaitStatus(owner, good, "READY");
        CloudEvent<VideoFailed> late = event(Topics.VIDEO_FAILED, good,
                new VideoFailed(UUID.randomUUID(), good, owner, "TRANSCODE", "stale failure"));
        send(Topics.VIDEO_FAILED, late);
        await().atMost(WAIT).until(() -> inboxCount(late.id()) == 1);
        as(owner).get("/api/videos/{id}", good).then().body("status", equalTo("READY"))
                .body("failureReason", org.hamcrest.Matchers.nullValue());
    }

    private static CloudEvent<VideoUploaded> duplicate(UUID id, UUID owner, String title, UUID of) {
        return event(Topics.VIDEO_UPLOADED, id, new VideoUploaded(id, owner, UUID.randomUUID(), title + ".mp4",
                "video/mp4", 5_000_000, "ab".repeat(32), BlobKeys.original(of), title, null, null, Instant.now(), of));
    }

    @Test
    void aDuplicateWaitsForItsEarlierVideoAndFollowsItToReadyOrFailure() {
        UUID owner = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID copy = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(first, owner, "First"));
        awaitStatus(owner, first, "PROCESSING");
        send(Topics.VIDEO_UPLOADED, duplicate(copy, owner, "Copy", first));
        awaitStatus(owner, copy, "PROCESSING");
        send(Topics.VIDEO_TRANSCODED, transcoded(first, owner));
        awaitStatus(owner, copy, "READY");
        as(owner).get("/api/videos/{id}", copy).then().body("title", equalTo("Copy"))
                .body("renditions.name", equalTo(List.of("480p", "720p"))).body("durationSeconds", equalTo(12.5f))
                .body("audioUrl", org.hamcrest.Matchers.endsWith("/api/videos/" + copy + "/audio.m4a"));
        // a copy of a READY video is READY at once
        UUID second = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, duplicate(second, owner, "Second", copy));
        awaitStatus(owner, second, "READY");

        UUID broken = UUID.randomUUID();
        UUID brokenCopy = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(broken, owner, "Broken"));
        awaitStatus(owner, broken, "PROCESSING");
        send(Topics.VIDEO_UPLOADED, duplicate(brokenCopy, owner, "Broken copy", broken));
        awaitStatus(owner, brokenCopy, "PROCESSING");
        send(Topics.VIDEO_FAILED, event(Topics.VIDEO_FAILED, broken,
                new VideoFailed(UUID.randomUUID(), broken, owner, "TRANSCODE", "The file has no video stream.")));
        awaitStatus(owner, brokenCopy, "FAILED");
        as(owner).get("/api/videos/{id}", brokenCopy).then().body("failureReason", equalTo("The file has no video stream."));
    }

    @Test
    void aDuplicateOfADeletedOrForeignVideoFailsWithAReason() {
        UUID owner = UUID.randomUUID();
        UUID gone = fixtures.ready(owner, "Gone", Visibility.PRIVATE);
        as(owner).delete("/api/videos/{id}", gone).then().statusCode(204);
        UUID copy = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, duplicate(copy, owner, "Copy", gone));
        awaitStatus(owner, copy, "FAILED");
        as(owner).get("/api/videos/{id}", copy).then().body("failureReason", org.hamcrest.Matchers.containsString("upload it again"));
        // another user's video is never shared
        UUID foreign = fixtures.ready(UUID.randomUUID(), "Theirs", Visibility.PLATFORM);
        UUID mine = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, duplicate(mine, owner, "Mine", foreign));
        awaitStatus(owner, mine, "FAILED");
        as(owner).get("/api/videos/{id}/hls/master.m3u8", mine).then().statusCode(409);
    }

    @Test
    void sharedBlobsStayWhileAnyVideoPlaysThemAndGoWithTheLast() {
        UUID owner = UUID.randomUUID();
        UUID first = fixtures.ready(owner, "First", Visibility.PRIVATE);
        fixtures.storeRendition(first, "240p");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        store.put(BlobKeys.thumbnail(first), new java.io.ByteArrayInputStream(jpeg), jpeg.length, "image/jpeg");
        UUID copy = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, duplicate(copy, owner, "Copy", first));
        awaitStatus(owner, copy, "READY");
        String segmentKey = BlobKeys.hls(first, "240p/index.m3u8");
        assertThat(store.stat(segmentKey)).isPresent();
        as(owner).delete("/api/videos/{id}", first).then().statusCode(204);
        assertThat(store.stat(segmentKey)).as("the copy still plays the first one's blobs").isPresent();
        as(owner).get("/api/videos/{id}/hls/240p/index.m3u8", copy).then().statusCode(200);
        assertThat(store.stat(BlobKeys.thumbnail(copy))).as("the copy's own thumbnail").isPresent();
        as(owner).delete("/api/videos/{id}", copy).then().statusCode(204);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.list(BlobKeys.videoPrefix(first))).as("blobs of the shared content").isEmpty();
            assertThat(store.list(BlobKeys.videoPrefix(copy))).isEmpty();
        });
    }

    @Test
    void redeliveredEventsAreAppliedOnce() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        CloudEvent<VideoUploaded> event = uploaded(id, owner, "Twice");
        send(Topics.VIDEO_UPLOADED, event);
        awaitStatus(owner, id, "PROCESSING");
        as(owner).contentType("application/json").body("{\"title\":\"Renamed by owner\"}")
                .patch("/api/videos/{id}", id).then().statusCode(200);
        send(Topics.VIDEO_UPLOADED, event);
        UUID marker = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(marker, owner, "After"));
        awaitStatus(owner, marker, "PROCESSING");
        as(owner).get("/api/videos/{id}", id).then().body("title", equalTo("Renamed by owner"));
        assertThat(inboxCount(event.id())).isEqualTo(1);
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        UUID owner = UUID.randomUUID();
        UUID bad = UUID.randomUUID();
        KafkaTopics.send(Topics.VIDEO_UPLOADED, bad.toString(), "{\"specversion\":\"1.0\",\"id\":\"" + bad
                + "\",\"source\":\"/x\",\"type\":\"clipflow.video.uploaded\",\"data\":{\"videoId\":\"nope\"}}");
        UUID id = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(id, owner, "After bad"));
        awaitStatus(owner, id, "PROCESSING");
        KafkaTopics.await(Topics.dlq(Topics.VIDEO_UPLOADED), e -> bad.toString().equals(e.path("id").asText()), WAIT);
    }

    @Test
    void anEventArrivingWhileTheDatabaseIsDownWaitsForItInsteadOfBecomingADeadLetter() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        send(Topics.VIDEO_UPLOADED, uploaded(id, owner, "Through an outage"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("status", equalTo("PROCESSING")));
        CloudEvent<VideoTranscoded> done = transcoded(id, owner);
        PostgresResource.stopServer();
        try {
            send(Topics.VIDEO_TRANSCODED, done);
            // a failover of a few seconds: the consumer keeps trying meanwhile
            Thread.sleep(8_000);
        } finally {
            PostgresResource.startServer();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("status", equalTo("READY")));
        assertThat(KafkaTopics.all(Topics.dlq(Topics.VIDEO_TRANSCODED),
                e -> done.id().equals(e.path("id").asText()), Duration.ofSeconds(2))).as("dead letters").isEmpty();
    }

    @Test
    void userDeletedRemovesAllTheirVideosAndPublishesVideoDeleted() {
        UUID owner = UUID.randomUUID();
        UUID keeper = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "A", Visibility.PRIVATE);
        UUID b = fixtures.processing(owner, "B", "b.mp4", null, null);
        UUID kept = fixtures.ready(keeper, "Kept", Visibility.PRIVATE);
        UUID admin = UUID.randomUUID();
        send(Topics.USER_DELETED, event(Topics.USER_DELETED, owner, new UserDeleted(owner, "gone@example.com", admin)));
        await().atMost(WAIT).until(() -> !fixtures.exists(a) && !fixtures.exists(b));
        assertThat(fixtures.exists(kept)).isTrue();
        JsonNode deleted = readDeleted(a);
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_DELETED, deleted)).isEmpty();
        assertThat(deleted.path("data").path("ownerId").asText()).isEqualTo(owner.toString());
        assertThat(deleted.path("data").path("deletedBy").asText()).isEqualTo(admin.toString());
        KafkaTopics.await(Topics.VIDEO_DELETED, e -> b.toString().equals(e.path("subject").asText()), WAIT);
        assertThat(java.nio.file.Files.exists(dev.clipflow.catalog.support.CatalogTestResource.blobs()
                .resolve("videos/" + a + "/video.mp4"))).isFalse();

        // a late transcoded event of a deleted video does not bring it back
        CloudEvent<VideoTranscoded> late = transcoded(a, owner);
        send(Topics.VIDEO_TRANSCODED, late);
        await().atMost(WAIT).until(() -> inboxCount(late.id()) == 1);
        assertThat(fixtures.exists(a)).isFalse();
    }

    /**
     * Upload events of a deleted user that arrive after {@code user.deleted} (other topic, other order)
     * recreated videos nobody owns; now they are refused and what they name is cleaned up.
     */
    @Test
    void lateEventsOfADeletedUserDoNotRecreateVideos() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID known = fixtures.ready(owner, "Known", Visibility.PRIVATE);
        send(Topics.USER_DELETED, event(Topics.USER_DELETED, owner, new UserDeleted(owner, "late@example.com", null)));
        await().atMost(WAIT).until(() -> !fixtures.exists(known));

        UUID late = UUID.randomUUID();
        java.nio.file.Path original = dev.clipflow.catalog.support.CatalogTestResource.blobs()
                .resolve(BlobKeys.original(late));
        java.nio.file.Files.createDirectories(original.getParent());
        java.nio.file.Files.write(original, new byte[] {1, 2, 3});
        CloudEvent<VideoUploaded> uploaded = uploaded(late, owner, "Late");
        send(Topics.VIDEO_UPLOADED, uploaded);
        CloudEvent<VideoTranscoded> transcoded = transcoded(UUID.randomUUID(), owner);
        send(Topics.VIDEO_TRANSCODED, transcoded);
        await().atMost(WAIT).until(() -> inboxCount(uploaded.id()) == 1 && inboxCount(transcoded.id()) == 1);

        assertThat(fixtures.exists(late)).isFalse();
        assertThat(fixtures.exists(transcoded.data().videoId())).isFalse();
        // the late upload's original is deleted and announced, so quota and transcode forget it too
        KafkaTopics.await(Topics.VIDEO_DELETED, e -> late.toString().equals(e.path("subject").asText()), WAIT);
        await().atMost(WAIT).until(() -> !java.nio.file.Files.exists(original));
    }

    private static JsonNode readDeleted(UUID videoId) {
        try {
            return EventJson.mapper().readTree(KafkaTopics.await(Topics.VIDEO_DELETED,
                    e -> videoId.toString().equals(e.path("subject").asText()), WAIT).value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long inboxCount(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from inbox_event where event_id = ?1").setParameter(1, eventId).getSingleResult())
                .longValue());
    }
}
