package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MongoDB stops for 30 s while bandwidth is metered: the catalog serves a video and reports the
 * bytes (usage.bandwidth) while quota-service lags behind (frozen with SIGSTOP), and quota-service
 * takes the reports up during the outage. Each must wait for MongoDB, none may become a dead
 * letter: afterwards the user's bandwidth is exactly the bytes uploaded plus the bytes served.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class MongoOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void bandwidthReportedDuringAMongoOutageIsCountedOnceItIsBack(@TempDir Path dir) throws Exception {
        Users.User hal = Users.signUp("Hal");
        Path clip = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        UUID video = Videos.uploadChunked(hal, clip, "Metered", "Vlog");
        Videos.awaitReady(hal, video);
        long uploaded = Files.size(clip);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(bandwidth(hal)).isEqualTo(uploaded));
        Map<String, Long> deadLettersBefore = KafkaTopics.deadLetterCounts();

        Stack stack = Stack.get();
        long served = 0;
        boolean mongoDown = false;
        stack.freeze("quota-service");
        try {
            for (int i = 0; i < 3; i++) {
                served += given().auth().oauth2(hal.accessToken()).get(url("/api/videos/" + video + "/stream"))
                        .then().statusCode(200).extract().asByteArray().length;
            }
            long expected = served;
            // the catalog reports what it served (every few seconds, through its outbox)
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servedOnKafka(hal.id()) == expected);
            stack.stop("mongo");
            mongoDown = true;
        } finally {
            stack.thaw("quota-service");
        }
        try {
            long downSince = System.nanoTime();
            // a read that needs MongoDB: once the driver gives up on finding a server, the caller is told to come
            // back (503 with Retry-After), not that the server is broken (500)
            given().auth().oauth2(hal.accessToken()).get(url("/api/quota/me")).then().log().ifValidationFails()
                    .statusCode(503).header("Retry-After", "5").contentType("application/problem+json")
                    .body("code", org.hamcrest.Matchers.equalTo("service.unavailable"));
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - downSince) / 1_000_000));
        } finally {
            if (mongoDown) {
                stack.start("mongo");
            }
        }

        long total = uploaded + served;
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(bandwidth(hal)).as("bandwidth used").isEqualTo(total));
        // the rest of the figures are exact too: the video READY in the catalog, storage as the blob store holds it
        assertThat(Videos.get(hal, video).getString("status")).isEqualTo("READY");
        assertThat(given().auth().oauth2(hal.accessToken()).queryParam("scope", "mine").get(url("/api/videos"))
                .then().statusCode(200).extract().jsonPath().getList("items.id", String.class))
                .containsExactly(video.toString());
        StoredBytes.assertExact(hal, java.util.List.of(video));
        assertThat(KafkaTopics.deadLetterCounts()).as("dead letters").isEqualTo(deadLettersBefore);
    }

    private static long bandwidth(Users.User user) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/quota/me"))
                .then().statusCode(200).extract().jsonPath().getLong("bandwidth.usedBytes");
    }

    /** The SERVED bytes usage.bandwidth holds for the user. */
    private static long servedOnKafka(UUID user) {
        return KafkaTopics.readAll(Topics.USAGE_BANDWIDTH).stream()
                .map(record -> json(record.value()))
                .filter(event -> user.toString().equals(event.path("data").path("ownerId").asText())
                        && "SERVED".equals(event.path("data").path("kind").asText()))
                .mapToLong(event -> event.path("data").path("bytes").asLong())
                .sum();
    }

    private static JsonNode json(String value) {
        try {
            return EventJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
