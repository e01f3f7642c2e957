package dev.clipflow.system;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka broker dies (kill -9) while users upload and delete videos. HTTP keeps answering (the
 * services commit to their outbox locally); once the broker is back ({@code ./clipflow up}) no event
 * is lost: every upload becomes READY, every deletion is released in the quota, the uploaded bytes
 * count as bandwidth once, the catalog holds exactly the videos that should be there.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class KafkaOutageTest {

    private static final int CHUNK = 64 * 1024;

    private RestAssuredConfig saved;

    @BeforeEach
    void noRequestMayHang() {
        // during the outage every request must answer, not hang on a broker that is gone
        saved = RestAssured.config;
        RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 30_000));
    }

    @AfterEach
    void restoreConfig() {
        RestAssured.config = saved;
    }

    @Test
    void uploadsAndDeletesDuringABrokerOutageAreNotLost(@TempDir Path dir) throws Exception {
        Users.User erin = Users.signUp("Erin");
        Path first = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        Path second = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.5);
        UUID doomed1 = Videos.uploadChunked(erin, first, "Doomed one", "Vlog");
        UUID doomed2 = Videos.uploadChunked(erin, second, "Doomed two", "Vlog");
        Videos.awaitReady(erin, doomed1);
        Videos.awaitReady(erin, doomed2);
        // an upload half sent before the outage, finished during it
        Videos.Upload straddling = Videos.startUpload(erin, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 2.0), CHUNK);
        assertThat(straddling.totalChunks()).isGreaterThan(1);
        Videos.putChunk(erin, straddling, 0);
        Path during = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.2);
        // a video whose transcode is running when the broker dies; it is deleted during the outage
        Path busy = Media.clip(dir, Videos.unique() + ".mp4", 1280, 720, 12.0);
        UUID transcoding = Videos.uploadChunked(erin, busy, "Deleted while transcoding", "Vlog");
        UUID busyJob = Videos.awaitJobRunning(erin, transcoding);

        Stack.get().kill9("kafka");
        UUID fresh;
        try {
            // catalog deletes the row and the blobs; transcode cannot hear of it until the broker is back
            given().auth().oauth2(erin.accessToken()).delete(url("/api/videos/" + transcoding)).then().statusCode(204);
            assertThat(job(erin, busyJob).getString("status")).as("the job runs on after the deletion").isEqualTo("RUNNING");
            for (int i = 1; i < straddling.totalChunks(); i++) {
                Videos.putChunk(erin, straddling, i);
            }
            Videos.complete(erin, straddling);
            // a whole upload while the broker is down
            fresh = Videos.uploadChunked(erin, during, "Made during the outage", "Vlog");
            for (UUID doomed : List.of(doomed1, doomed2)) {
                given().auth().oauth2(erin.accessToken()).delete(url("/api/videos/" + doomed)).then().statusCode(204);
                given().auth().oauth2(erin.accessToken()).get(url("/api/videos/" + doomed)).then().statusCode(404);
            }
            // what the services can answer without Kafka, they still answer
            given().auth().oauth2(erin.accessToken()).get(url("/api/videos")).then().statusCode(200);
            given().auth().oauth2(erin.accessToken()).get(url("/api/quota/me")).then().statusCode(200);
            // the job finishes and stores its outputs for a video that no longer exists
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !"RUNNING".equals(job(erin, busyJob).getString("status")));
        } finally {
            Stack.get().upAgain();
        }

        Videos.awaitReady(erin, straddling.videoId());
        Videos.awaitReady(erin, fresh);

        long kept = straddling.bytes().length + Files.size(during);
        long deleted = Files.size(first) + Files.size(second) + Files.size(busy);
        long uploaded = kept + deleted;
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath quota = given().auth().oauth2(erin.accessToken()).get(url("/api/quota/me"))
                    .then().statusCode(200).extract().jsonPath();
            assertThat(quota.getLong("storage.usedBytes")).as("used bytes").isEqualTo(kept);
            assertThat(quota.getLong("storage.reservedBytes")).as("reserved bytes").isZero();
            assertThat(quota.getLong("deletions.count")).as("deletions").isEqualTo(3);
            assertThat(quota.getLong("deletions.bytes")).as("deleted bytes").isEqualTo(deleted);
            assertThat(quota.getLong("bandwidth.usedBytes")).as("uploaded bytes counted as bandwidth").isEqualTo(uploaded);
            assertThat(quota.getList("files.videoId", String.class))
                    .containsExactlyInAnyOrder(straddling.videoId().toString(), fresh.toString());
        });
        List<String> catalog = given().auth().oauth2(erin.accessToken()).queryParam("scope", "mine")
                .get(url("/api/videos")).then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        assertThat(catalog).containsExactlyInAnyOrder(straddling.videoId().toString(), fresh.toString());
        given().auth().oauth2(erin.accessToken()).get(url("/api/videos/" + transcoding)).then().statusCode(404);
        // no blob of a deleted video is left, not even what the transcode wrote after the deletion
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (UUID doomed : List.of(doomed1, doomed2, transcoding)) {
                assertThat(Blobs.files("videos/" + doomed)).as("blobs of %s", doomed).isEmpty();
                assertThat(Blobs.files("originals/" + doomed)).as("original of %s", doomed).isEmpty();
            }
        });
    }

    private static JsonPath job(Users.User user, UUID jobId) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/jobs/" + jobId))
                .then().statusCode(200).extract().jsonPath();
    }
}
