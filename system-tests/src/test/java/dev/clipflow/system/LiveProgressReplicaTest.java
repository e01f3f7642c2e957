package dev.clipflow.system;

import dev.clipflow.testinfra.http.SseStream;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live progress across catalog replicas and playback before the ladder is done. A second catalog replica
 * runs beside the first (same database, same consumer group, so each consumes part of the partitions); an
 * SSE client on each replica follows one upload of a 12 s 1080p source. Whichever replica consumes the video's
 * events, both clients see its progress, the 480p rendition becoming ready and READY (the other one through
 * PostgreSQL NOTIFY). When 480p is announced the job is still RUNNING (1080p encoding, the MP4 not made), the
 * master playlist lists 480p, whose growing playlist names only segments that are served, and ffprobe reads
 * the 480p rendition through the gateway; once READY it reads all of it.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class LiveProgressReplicaTest {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final int SECONDS = 12;

    @Test
    void aClientOnEitherReplicaSeesProgressAndPlaysTheLowRungBeforeTheLadderIsDone() throws Exception {
        Stack.get().withSecondReplica("catalog-service", "CATALOG", this::follow);
    }

    private void follow(List<String> replicas) throws Exception {
        Users.User ivy = Users.signUp("Ivy");
        given().auth().oauth2(Users.admin().accessToken()).contentType("application/json")
                .body(java.util.Map.of("storageLimitBytes", 1L << 30, "bandwidthLimitBytes", 1L << 30))
                .put(url("/api/admin/quota/" + ivy.id())).then().statusCode(200);
        Path dir = Files.createTempDirectory("live-progress");
        try {
            // long enough that the ladder is still being encoded when 480p's first segments are stored
            follow(replicas, ivy, Media.clip(dir, "long.mp4", 1920, 1080, SECONDS));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private void follow(List<String> replicas, Users.User ivy, Path source) throws Exception {
        UUID video = Videos.uploadChunked(ivy, source, "Long", "Documentary");
        // the catalog knows the video once it consumed video.uploaded; the transcoder starts at the same time
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2(ivy.accessToken()).get(url("/api/videos/" + video)).statusCode() == 200);

        HttpClient http = HttpClient.newHttpClient();
        List<BlockingQueue<SseStream.Event>> streams = new ArrayList<>();
        List<InputStream> bodies = new ArrayList<>();
        try {
            for (String base : replicas) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/videos/" + video + "/events"))
                        .header("Authorization", "Bearer " + ivy.accessToken())
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).as("events on %s", base).isEqualTo(200);
                bodies.add(response.body());
                streams.add(SseStream.read(response.body()).events());
            }

            // 480p is announced on both replicas while the job still runs
            for (BlockingQueue<SseStream.Event> stream : streams) {
                List<SseStream.Event> seen = until(stream, "rendition_ready");
                assertThat(seen).extracting(SseStream.Event::name).as("%s", seen).contains("snapshot", "progress");
                assertThat(seen.get(seen.size() - 1).data()).contains("\"rendition\":\"480p\"", "\"playable\":true");
                assertThat(seen.stream().filter(e -> e.name().equals("progress")).map(SseStream.Event::data))
                        .anyMatch(data -> data.contains("\"etaSeconds\":"));
            }
            JsonPath job = given().auth().oauth2(ivy.accessToken()).queryParam("videoId", video)
                    .get(url("/api/jobs")).then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("items[0].status")).as("the ladder is still being made").isEqualTo("RUNNING");
            JsonPath early = Videos.get(ivy, video);
            assertThat(early.getString("status")).isEqualTo("PROCESSING");
            assertThat(early.getBoolean("playable")).isTrue();
            assertThat(early.getList("renditions.name", String.class)).startsWith("480p");
            assertThat(early.getList("renditions.complete", Boolean.class)).containsOnly(false);
            given().auth().oauth2(ivy.accessToken()).get(url("/api/videos/" + video + "/stream")).then().statusCode(409);
            String master = given().auth().oauth2(ivy.accessToken())
                    .get(url("/api/videos/" + video + "/hls/master.m3u8")).then().statusCode(200).extract().asString();
            assertThat(master).contains("480p/index.m3u8");
            String growing = given().auth().oauth2(ivy.accessToken())
                    .get(url("/api/videos/" + video + "/hls/480p/index.m3u8")).then().statusCode(200).extract().asString();
            assertThat(growing).contains("#EXT-X-PLAYLIST-TYPE:EVENT").doesNotContain("#EXT-X-ENDLIST");
            List<String> segments = growing.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(segments).isNotEmpty();
            for (String segment : segments) {
                given().auth().oauth2(ivy.accessToken()).get(url("/api/videos/" + video + "/hls/480p/" + segment))
                        .then().statusCode(200);
            }
            String probed = Media.streams(url("/api/videos/" + video + "/hls/480p/index.m3u8"),
                    "Authorization: Bearer " + ivy.accessToken() + "\r\n");
            assertThat(probed).as("ffprobe reads the growing 480p rendition").contains("video,854,480", "audio");

            // then READY with the whole ladder, on both
            for (BlockingQueue<SseStream.Event> stream : streams) {
                List<SseStream.Event> seen = until(stream, "status");
                assertThat(seen.get(seen.size() - 1).data()).contains("\"status\":\"READY\"", "\"1080p\"");
            }
            JsonPath ready = Videos.awaitReady(ivy, video);
            assertThat(ready.getList("renditions.name", String.class)).containsExactly("480p", "720p", "1080p");
            assertThat(ready.getList("renditions.complete", Boolean.class)).containsOnly(true);
            double played = Media.duration(url("/api/videos/" + video + "/hls/480p/index.m3u8"),
                    "Authorization: Bearer " + ivy.accessToken() + "\r\n");
            assertThat(played).as("ffprobe reads the whole 480p rendition").isBetween(SECONDS - 1.0, SECONDS + 1.5);
        } finally {
            for (InputStream body : bodies) {
                body.close();
            }
        }
    }

    /** The events up to and including the first one named {@code name}. */
    private static List<SseStream.Event> until(BlockingQueue<SseStream.Event> stream, String name) throws InterruptedException {
        List<SseStream.Event> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SseStream.Event event = stream.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                break;
            }
            seen.add(event);
            if (event.name().equals(name)) {
                return seen;
            }
        }
        throw new AssertionError("no " + name + " event within " + WAIT + "; seen: " + seen);
    }
}
