package dev.clipflow.catalog.replace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.catalog.video.service.MediaRetirement;
import dev.clipflow.catalog.video.service.Replacements;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static dev.clipflow.catalog.support.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Replacing a video's file, catalog's part: the request's checks, and the pipeline's events of the new media id on the
 * real broker (the upload session itself is upload-service's: its pending replace is recorded here as the endpoint
 * records it; the whole path runs in system-tests' UserJourneyTest).
 */
@QuarkusTest
class ReplaceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Fixtures fixtures;

    @Inject
    Replacements replacements;

    @Inject
    VideoRepository videos;

    @Inject
    MediaRetirement retirement;

    @Inject
    BlobStore store;

    private UUID pending(UUID video, UUID owner) {
        UUID media = UUID.randomUUID();
        assertThat(QuarkusTransaction.requiringNew().call(() -> replacements.begin(
                videos.findById(video, LockModeType.PESSIMISTIC_WRITE), media, owner))).isTrue();
        return media;
    }

    private static <T> void send(String topic, UUID subject, T data) {
        send(topic, subject, subject, data);
    }

    /** With the record key of another video: same partition, so consumed after what was sent with that key before. */
    private static <T> void send(String topic, UUID key, UUID subject, T data) {
        KafkaTopics.send(topic, key.toString(), CloudEvent.of(topic, "/clipflow/test", subject.toString(), data));
    }

    /** A video PROCESSING until a {@code video.transcoded} sent after {@code earlier}'s makes it 720p: then that one was applied. */
    private void awaitAppliedAfter(UUID earlier, UUID owner, long mp4Size) {
        UUID marker = fixtures.processing(owner, "Marker", "marker-" + UUID.randomUUID() + ".mp4", null, null);
        send(Topics.VIDEO_TRANSCODED, earlier, marker, transcoded(marker, owner, mp4Size));
        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", marker).then()
                .body("status", equalTo("READY")));
    }

    private static VideoTranscoded transcoded(UUID media, UUID owner, long mp4Size) {
        return new VideoTranscoded(UUID.randomUUID(), media, owner, 7.0, 1280, 720, "h264", "aac", BlobKeys.mp4(media),
                mp4Size, BlobKeys.hlsMaster(media), BlobKeys.thumbnail(media),
                List.of(new VideoTranscoded.Rendition("240p", 320, 240, 400_000, BlobKeys.hls(media, "240p/index.m3u8"))),
                mp4Size * 3, 1_000L, null);
    }

    @Test
    void onlyTheOwnerReplacesAReadyVideoWithNoReplaceInFlight() {
        UUID owner = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        UUID mine = fixtures.ready(owner, "Private", Visibility.PRIVATE);
        UUID onPlatform = fixtures.ready(owner, "Public", Visibility.PLATFORM);
        Map<String, Object> body = Map.of("size", 1000);
        as(stranger).contentType("application/json").body(body).post("/api/videos/{id}/replace", mine)
                .then().statusCode(404).contentType("application/problem+json");
        as(stranger).contentType("application/json").body(body).post("/api/videos/{id}/replace", onPlatform)
                .then().statusCode(403).body("code", equalTo("video.not_owner"));
        asAdmin(UUID.randomUUID()).contentType("application/json").body(body).post("/api/videos/{id}/replace", mine)
                .then().statusCode(403).body("code", equalTo("video.replace_owner_only"));
        as(owner).contentType("application/json").body(Map.of("size", -5)).post("/api/videos/{id}/replace", mine)
                .then().statusCode(400).contentType("application/problem+json");
        as(owner).contentType("application/json").body(Map.of("size", 5, "protocol", "ftp"))
                .post("/api/videos/{id}/replace", mine).then().statusCode(400);
        UUID processing = fixtures.processing(owner, "Busy", "busy.mp4", null, null);
        as(owner).contentType("application/json").body(body).post("/api/videos/{id}/replace", processing)
                .then().statusCode(409).body("code", equalTo("video.replace_in_flight"));
        // upload-service unreachable: 503, and nothing is pending afterwards
        as(owner).contentType("application/json").body(body).post("/api/videos/{id}/replace", mine)
                .then().statusCode(503).body("code", equalTo("upload.unavailable"));
        as(owner).get("/api/videos/{id}", mine).then().body("replace", org.hamcrest.Matchers.nullValue());
        pending(mine, owner);
        as(owner).get("/api/videos/{id}", mine).then().body("replace.status", equalTo("PENDING"));
        as(owner).contentType("application/json").body(body).post("/api/videos/{id}/replace", mine)
                .then().statusCode(409).body("code", equalTo("video.replace_in_flight"));
    }

    @Test
    void theTranscodeOfTheNewMediaSwitchesTheVideoAndTheOldMediaServesUntilItIsRetired() {
        UUID owner = UUID.randomUUID();
        UUID video = fixtures.ready(owner, "Before", Visibility.PRIVATE);
        byte[] vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n".getBytes();
        store.put("videos/" + video + "/captions/en.vtt", new ByteArrayInputStream(vtt), vtt.length, "text/vtt");
        store.put(BlobKeys.original(video), new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, "video/mp4");
        String oldMaster = as(owner).get("/api/videos/{id}/hls/r/{root}/master.m3u8", video, video).then()
                .statusCode(200).extract().asString();
        UUID media = pending(video, owner);
        long mp4Size = fixtures.storeMedia(media, false);

        send(Topics.VIDEO_UPLOADED, media, new VideoUploaded(media, owner, UUID.randomUUID(), "after.mp4", "video/mp4",
                777_777, "cd".repeat(32), BlobKeys.original(media), null, null, null, Instant.now(), null, video));
        // (another topic: applied in any order; the switch takes the size from whichever came first)
        await().atMost(WAIT).until(() -> QuarkusTransaction.requiringNew().call(
                () -> videos.findById(video).replaceSizeBytes) != null);
        send(Topics.VIDEO_TRANSCODED, media, transcoded(media, owner, mp4Size));

        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", video).then().statusCode(200)
                .body("height", equalTo(720)).body("replace", org.hamcrest.Matchers.nullValue()));
        as(owner).get("/api/videos/{id}", video).then().body("title", equalTo("Before")).body("status", equalTo("READY"))
                .body("sizeBytes", equalTo(777_777)).body("durationSeconds", equalTo(7.0f))
                .body("hlsUrl", endsWith("/api/videos/" + video + "/hls/r/" + media + "/master.m3u8"));
        assertThat(fixtures.exists(media)).as("no video is made of the new media").isFalse();
        JsonNode replaced = json(KafkaTopics.await(Topics.VIDEO_REPLACED,
                e -> e.path("data").path("videoId").asText().equals(video.toString()), WAIT).value());
        assertThat(replaced.path("data").path("oldRoot").asText()).isEqualTo(video.toString());
        assertThat(replaced.path("data").path("newRoot").asText()).isEqualTo(media.toString());
        assertThat(replaced.path("data").path("newBytes").asLong()).isEqualTo(777_777);
        assertThat(replaced.path("data").path("mp4Bytes").asLong()).isEqualTo(mp4Size);

        // the player holding the old master keeps the old media; the new root and the old form serve the new one
        as(owner).get("/api/videos/{id}/hls/r/{root}/master.m3u8", video, video).then().statusCode(200)
                .body(equalTo(oldMaster));
        as(owner).get("/api/videos/{id}/hls/r/{root}/240p/index.m3u8", video, video).then().statusCode(200);
        as(owner).get("/api/videos/{id}/hls/r/{root}/master.m3u8", video, media).then().statusCode(200);
        as(owner).get("/api/videos/{id}/hls/master.m3u8", video).then().statusCode(200);
        as(owner).get("/api/videos/{id}/hls/r/{root}/master.m3u8", video, UUID.randomUUID()).then().statusCode(404);
        as(owner).get("/api/videos/{id}/hls/r/not-a-root/master.m3u8", video).then().statusCode(404);

        // after the grace period the old media goes; its captions stay
        retirement.retireDue(Instant.now().plus(Duration.ofMinutes(11)));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.list(BlobKeys.videoPrefix(video)).stream().map(b -> b.key()).toList())
                    .containsExactly("videos/" + video + "/captions/en.vtt");
            assertThat(store.stat(BlobKeys.original(video))).isEmpty();
        });
        assertThat(store.stat(BlobKeys.hlsMaster(media))).isPresent();
        as(owner).get("/api/videos/{id}/stream", video).then().statusCode(200);

        // a redelivered transcode of the new media changes nothing and creates nothing
        send(Topics.VIDEO_TRANSCODED, media, transcoded(media, owner, mp4Size));
        awaitAppliedAfter(media, owner, mp4Size);
        assertThat(fixtures.exists(media)).isFalse();
        as(owner).get("/api/videos/{id}", video).then().body("hlsUrl", endsWith("/hls/r/" + media + "/master.m3u8"));
    }

    @Test
    void aFailedReplaceKeepsTheVideoOnItsMediaAndShowsWhy() {
        UUID owner = UUID.randomUUID();
        UUID video = fixtures.ready(owner, "Keeps", Visibility.PRIVATE);
        UUID media = pending(video, owner);
        store.put(BlobKeys.original(media), new ByteArrayInputStream(new byte[] {9}), 1, "video/mp4");
        send(Topics.VIDEO_FAILED, media, new VideoFailed(UUID.randomUUID(), media, owner, "TRANSCODE",
                "The file has no video stream."));
        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", video).then()
                .body("replace.status", equalTo("FAILED"))
                .body("replace.failureReason", equalTo("The file has no video stream.")));
        as(owner).get("/api/videos/{id}", video).then().body("status", equalTo("READY")).body("height", equalTo(240))
                .body("hlsUrl", endsWith("/hls/r/" + video + "/master.m3u8"));
        assertThat(fixtures.exists(media)).isFalse();
        // the new media is cancelled: announced deleted (quota releases it, upload and transcode forget it), blobs gone
        KafkaTopics.await(Topics.VIDEO_DELETED, e -> e.path("data").path("videoId").asText().equals(media.toString()),
                WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.stat(BlobKeys.original(media))).isEmpty());
        // a new replace may start (here it reaches the missing upload-service)
        as(owner).contentType("application/json").body(Map.of("size", 10)).post("/api/videos/{id}/replace", video)
                .then().statusCode(503);
    }

    @Test
    void deletingTheVideoMidReplaceCancelsTheNewMedia() {
        UUID owner = UUID.randomUUID();
        UUID video = fixtures.ready(owner, "Doomed", Visibility.PRIVATE);
        UUID media = pending(video, owner);
        store.put(BlobKeys.original(media), new ByteArrayInputStream(new byte[] {7}), 1, "video/mp4");
        as(owner).delete("/api/videos/{id}", video).then().statusCode(204);
        KafkaTopics.await(Topics.VIDEO_DELETED, e -> e.path("data").path("videoId").asText().equals(media.toString()),
                WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.stat(BlobKeys.original(media))).isEmpty());
        // its transcode finishing late creates nothing
        long mp4Size = fixtures.storeMedia(media, false);
        send(Topics.VIDEO_TRANSCODED, media, transcoded(media, owner, mp4Size));
        awaitAppliedAfter(media, owner, mp4Size);
        assertThat(fixtures.exists(media)).isFalse();
    }

    private static JsonNode json(String value) {
        try {
            return EventJson.mapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
