package dev.clipflow.catalog.event;

import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.testinfra.http.SseStream;
import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Live progress ({@code GET /api/videos/{id}/events}, Server-Sent Events read by the JDK's HTTP client) and
 * early playback ({@code video.rendition_ready}), from events on the real broker.
 */
@QuarkusTest
class LiveProgressTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Fixtures fixtures;

    @TestHTTPResource("/")
    URI root;

    /** One SSE event as a client sees it. */

    private static <T> CloudEvent<T> event(String topic, UUID subject, T data) {
        return CloudEvent.of(topic, "/clipflow/test", subject.toString(), data);
    }

    private static void send(String topic, CloudEvent<?> event) {
        KafkaTopics.send(topic, event.subject(), event);
    }

    private static CloudEvent<VideoRenditionReady> renditionReady(UUID id, UUID owner) {
        return event(Topics.VIDEO_RENDITION_READY, id, new VideoRenditionReady(UUID.randomUUID(), id, owner,
                new VideoRenditionReady.Rendition("240p", 320, 240, 400_000, 350_000, "avc1.64000d,mp4a.40.2", 25.0,
                        BlobKeys.hls(id, "240p/index.m3u8")),
                List.of("240p"), List.of("240p", "480p")));
    }

    private static CloudEvent<VideoTranscoded> transcoded(UUID id, UUID owner) {
        return event(Topics.VIDEO_TRANSCODED, id, new VideoTranscoded(UUID.randomUUID(), id, owner, 3.0, 854, 480,
                "h264", "aac", BlobKeys.mp4(id), 4_000_000, BlobKeys.hlsMaster(id), BlobKeys.thumbnail(id),
                List.of(new VideoTranscoded.Rendition("240p", 320, 240, 400_000, BlobKeys.hls(id, "240p/index.m3u8")),
                        new VideoTranscoded.Rendition("480p", 854, 480, 1_400_000, BlobKeys.hls(id, "480p/index.m3u8"))),
                9_000_000));
    }

    @Test
    void aProcessingVideoPlaysTheRenditionsReadySoFar() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Early", "early.mp4", null, null);
        as(owner).get("/api/videos/{id}", id).then().body("playable", equalTo(false));
        fixtures.storeRendition(id, "240p");

        send(Topics.VIDEO_RENDITION_READY, renditionReady(id, owner));

        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", id).then().statusCode(200)
                .body("playable", equalTo(true)).body("status", equalTo("PROCESSING"))
                .body("renditions.name", contains("240p"))
                .body("renditions.complete", contains(false))
                .body("hlsUrl", endsWith("/api/videos/" + id + "/hls/master.m3u8")));
        String base = "/api/videos/" + id + "/hls/";
        String master = as(owner).get(base + "master.m3u8").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.containsString("application/vnd.apple.mpegurl"))
                .header("Cache-Control", org.hamcrest.Matchers.containsString("no-cache"))
                .extract().asString();
        assertThat(master).contains("RESOLUTION=320x240", "CODECS=\"avc1.64000d,mp4a.40.2\"", "240p/index.m3u8")
                .doesNotContain("480p");
        // the rendition still grows: a player reloading its playlist gets the new segments, not a cached copy
        String playlist = as(owner).get(base + "240p/index.m3u8").then().statusCode(200)
                .header("Cache-Control", org.hamcrest.Matchers.containsString("no-cache")).extract().asString();
        assertThat(playlist).contains("#EXT-X-ENDLIST");
        as(owner).get(base + "480p/index.m3u8").then().statusCode(404);
        as(owner).get("/api/videos/{id}/stream", id).then().statusCode(409);

        send(Topics.VIDEO_TRANSCODED, transcoded(id, owner));
        await().atMost(WAIT).untilAsserted(() -> as(owner).get("/api/videos/{id}", id).then()
                .body("status", equalTo("READY")).body("playable", equalTo(true))
                .body("renditions.name", contains("240p", "480p"))
                .body("renditions.complete", contains(true, true)));
        as(owner).get(base + "240p/index.m3u8").then().statusCode(200)
                .header("Cache-Control", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("no-cache")));
    }

    @Test
    void theEventStreamShowsProgressRenditionsAndTheEnd() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Live", "live.mp4", null, null);
        fixtures.storeRendition(id, "240p");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(
                root.resolve("/api/videos/" + id + "/events"))
                .header("Authorization", "Bearer " + JwtResource.tokens().user(owner))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        SseStream stream = SseStream.read(response.body());
        BlockingQueue<SseStream.Event> events = stream.events();
        try {
            SseStream.Event snapshot = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(snapshot).isNotNull();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.data()).contains("\"status\":\"PROCESSING\"", "\"playable\":false");

            send(Topics.TRANSCODE_PROGRESS, event(Topics.TRANSCODE_PROGRESS, id,
                    new TranscodeProgress(UUID.randomUUID(), id, owner, "RUNNING", 30, 42)));
            SseStream.Event progress = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(progress).isNotNull();
            assertThat(progress.name()).isEqualTo("progress");
            assertThat(progress.data()).contains("\"progress\":30", "\"etaSeconds\":42");

            send(Topics.VIDEO_RENDITION_READY, renditionReady(id, owner));
            SseStream.Event ready = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ready).isNotNull();
            assertThat(ready.name()).isEqualTo("rendition_ready");
            assertThat(ready.data()).contains("\"rendition\":\"240p\"", "\"playable\":true", "\"renditions\":[\"240p\"]");

            send(Topics.VIDEO_TRANSCODED, transcoded(id, owner));
            SseStream.Event done = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(done).isNotNull();
            assertThat(done.name()).isEqualTo("status");
            assertThat(done.data()).contains("\"status\":\"READY\"", "\"progress\":100", "\"480p\"");
            // the stream stays open, with keep-alive comments (every second in tests) that keep it valid
            await().atMost(WAIT).until(() -> stream.comments() >= 2);
            assertThat(stream.isOpen()).isTrue();
        } finally {
            response.body().close();
        }
    }

    @Test
    void theEventStreamHasTheVideosAccessRules() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Private", "private.mp4", null, null);
        as(UUID.randomUUID()).get("/api/videos/{id}/events", id).then().statusCode(404)
                .contentType("application/problem+json");
        as(owner).get("/api/videos/{id}/events", UUID.randomUUID()).then().statusCode(404);
        as(owner).get("/api/videos/not-a-uuid/events").then().statusCode(404);
        RestAssured.get("/api/videos/{id}/events", id).then().statusCode(401);
    }
}
