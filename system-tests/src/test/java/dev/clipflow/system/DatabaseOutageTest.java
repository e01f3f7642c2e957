package dev.clipflow.system;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stops for 20 s while uploads complete, transcodes finish and a user is deleted. The
 * consumers that would apply those events (catalog, transcode and upload service) lag behind while
 * the events are produced (frozen with SIGSTOP, as a long GC pause or a rebalance would hold them)
 * and take them up during the outage: every event must wait for the database, none may become a
 * dead letter. Afterwards every video is READY, the deleted user's videos and blobs are gone, the
 * catalog and the quota figures are exact, and no dead-letter topic grew.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class DatabaseOutageTest {

    private static final int CHUNK = 64 * 1024;
    /**
     * Each event taken up in the outage fails six times in it (pauses of 0.5, 1, 2, 4 and 8 s from
     * clipflow.events.retry-initial-backoff: attempts at 0 to 15.5 s, the next at 30.5 s). 30 s gave the same six
     * (a seventh when PostgreSQL took over 0.5 s to come back), and the next attempt then came 15 s later still.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @Test
    void eventsArrivingDuringAPostgresOutageWaitForItAndNoneIsDeadLettered(@TempDir Path dir) throws Exception {
        Users.User admin = Users.admin();
        Users.User fay = Users.signUp("Fay");
        Users.User gus = Users.signUp("Gus");
        Path gusClip = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        UUID gusVideo = Videos.uploadChunked(gus, gusClip, "Gone with Gus", "Vlog");
        Videos.awaitReady(gus, gusVideo);
        assertThat(Blobs.files("videos/" + gusVideo)).isNotEmpty();
        // two uploads with every chunk sent, completed while the catalog lags behind
        Path first = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        Path second = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.5);
        Videos.Upload one = sendAll(fay, first);
        Videos.Upload two = sendAll(fay, second);
        Map<String, Long> deadLettersBefore = KafkaTopics.deadLetterCounts();

        Stack stack = Stack.get();
        stack.freeze("catalog-service");
        boolean databaseDown = false;
        try {
            Videos.complete(fay, one);
            Videos.complete(fay, two);
            // the transcodes finish: video.uploaded and video.transcoded wait on Kafka for the catalog
            awaitJobSucceeded(fay, one.videoId());
            awaitJobSucceeded(fay, two.videoId());
            stack.freeze("transcode-service");
            stack.freeze("upload-service");
            // Gus is deleted: user.deleted waits for catalog, transcode and upload service
            given().auth().oauth2(admin.accessToken()).delete(url("/api/admin/users/" + gus.id()))
                    .then().statusCode(204);
            Thread.sleep(1000); // the outbox relay sends right after the commit
            stack.stop("postgres");
            databaseDown = true;
        } finally {
            stack.thaw("catalog-service");
            stack.thaw("transcode-service");
            stack.thaw("upload-service");
        }
        try {
            // what does not need PostgreSQL still answers
            given().auth().oauth2(fay.accessToken()).get(url("/api/quota/me")).then().statusCode(200);
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            if (databaseDown) {
                stack.start("postgres");
            }
        }

        Videos.awaitReady(fay, one.videoId());
        Videos.awaitReady(fay, two.videoId());
        long kept = Files.size(first) + Files.size(second);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath quota = given().auth().oauth2(fay.accessToken()).get(url("/api/quota/me"))
                    .then().statusCode(200).extract().jsonPath();
            assertThat(quota.getLong("storage.usedBytes")).as("used bytes").isEqualTo(kept);
            assertThat(quota.getLong("storage.reservedBytes")).as("reserved bytes").isZero();
            assertThat(quota.getLong("bandwidth.usedBytes")).as("uploaded bytes counted as bandwidth").isEqualTo(kept);
            assertThat(quota.getList("files.videoId", String.class))
                    .containsExactlyInAnyOrder(one.videoId().toString(), two.videoId().toString());
        });
        List<String> catalog = given().auth().oauth2(fay.accessToken()).queryParam("scope", "mine")
                .get(url("/api/videos")).then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        assertThat(catalog).containsExactlyInAnyOrder(one.videoId().toString(), two.videoId().toString());
        // Gus's video, its blobs and his quota are gone
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(given().auth().oauth2(admin.accessToken()).queryParam("ownerId", gus.id())
                    .get(url("/api/admin/videos")).then().statusCode(200).extract().jsonPath().getList("items"))
                    .as("Gus's videos in the catalog").isEmpty();
            assertThat(Blobs.files("videos/" + gusVideo)).as("Gus's renditions").isEmpty();
            assertThat(Blobs.files("originals/" + gusVideo)).as("Gus's original").isEmpty();
        });
        // Fay's stored bytes are exactly what the blob store holds for her videos; Gus has no quota left
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> StoredBytes.assertExact(fay, List.of(one.videoId(), two.videoId())));
        JsonPath gusQuota = given().auth().oauth2(admin.accessToken()).get(url("/api/admin/quota/" + gus.id()))
                .then().statusCode(200).extract().jsonPath();
        assertThat(gusQuota.getList("files")).as("Gus's files on the quota").isEmpty();
        assertThat(gusQuota.getLong("storage.usedBytes")).as("Gus's used bytes").isZero();
        assertThat(gusQuota.getLong("storage.reservedBytes")).as("Gus's reserved bytes").isZero();
        assertThat(KafkaTopics.deadLetterCounts()).as("dead letters").isEqualTo(deadLettersBefore);
    }

    /** An upload session with every chunk sent, not completed yet. */
    private static Videos.Upload sendAll(Users.User user, Path file) {
        Videos.Upload upload = Videos.startUpload(user, file, CHUNK);
        for (int i = 0; i < upload.totalChunks(); i++) {
            Videos.putChunk(user, upload, i);
        }
        return upload;
    }

    private static void awaitJobSucceeded(Users.User user, UUID video) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonPath page = given().auth().oauth2(user.accessToken()).queryParam("videoId", video)
                    .get(url("/api/jobs")).then().statusCode(200).extract().jsonPath();
            return !page.getList("items").isEmpty() && "SUCCEEDED".equals(page.getString("items[0].status"));
        });
    }
}
