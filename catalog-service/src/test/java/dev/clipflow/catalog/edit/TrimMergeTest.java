package dev.clipflow.catalog.edit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class TrimMergeTest {

    @Inject
    Fixtures fixtures;

    private static int total(UUID owner) {
        return as(owner).get("/api/videos").then().extract().path("total");
    }

    @Test
    void trimCreatesAProcessingVideoAndRequestsTheJob() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID source = fixtures.ready(owner, "Long take", "take.mov", null, "Drama", Visibility.PRIVATE);
        Response accepted = as(owner).contentType(ContentType.JSON)
                .body(Map.of("startSeconds", 0.5, "endSeconds", 2.5, "title", "Best part"))
                .post("/api/videos/{id}/trim", source);
        accepted.then().statusCode(202);
        String jobId = accepted.path("jobId");
        String videoId = accepted.path("videoId");

        as(owner).get("/api/videos/{id}", videoId).then().statusCode(200)
                .body("status", equalTo("PROCESSING"))
                .body("ownerId", equalTo(owner.toString()))
                .body("title", equalTo("Best part"))
                .body("category", equalTo("Drama"));

        ConsumerRecord<String, String> record = KafkaTopics.await(Topics.TRANSCODE_REQUESTS,
                e -> jobId.equals(e.path("data").path("jobId").asText()), Duration.ofSeconds(20));
        assertThat(record.key()).isEqualTo(videoId);
        JsonNode event = dev.clipflow.contracts.events.EventJson.mapper().readTree(record.value());
        assertThat(EventSchemas.validateEvent(Topics.TRANSCODE_REQUESTS, event)).isEmpty();
        JsonNode data = event.path("data");
        assertThat(data.path("type").asText()).isEqualTo("TRIM");
        assertThat(data.path("videoId").asText()).isEqualTo(videoId);
        assertThat(data.path("ownerId").asText()).isEqualTo(owner.toString());
        assertThat(data.path("sourceVideoIds").get(0).asText()).isEqualTo(source.toString());
        assertThat(data.path("params").path("startSeconds").asDouble()).isEqualTo(0.5);
        assertThat(data.path("params").path("endSeconds").asDouble()).isEqualTo(2.5);
    }

    @Test
    void badTrimsCreateNothing() {
        UUID owner = UUID.randomUUID();
        UUID source = fixtures.ready(owner, "Source", Visibility.PRIVATE);
        UUID processing = fixtures.processing(owner, "Not yet", "n.mp4", null, null);
        int before = total(owner);
        record Case(Object body, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("startSeconds", 2, "endSeconds", 2), 400, "edit.invalid_range"),
                new Case(Map.of("startSeconds", 2, "endSeconds", 1), 400, "edit.invalid_range"),
                new Case(Map.of("startSeconds", 0, "endSeconds", 3.5), 400, "edit.invalid_range"),
                new Case(Map.of("startSeconds", -1, "endSeconds", 1), 400, "edit.invalid_range"),
                new Case(Map.of("endSeconds", 1), 400, "request.invalid"),
                new Case(Map.of("startSeconds", 0, "endSeconds", 1, "speed", 2), 400, "request.unknown_field"),
                new Case(Map.of("startSeconds", 0, "endSeconds", 1, "title", "t".repeat(201)), 400, "request.invalid"),
                new Case(Map.of("startSeconds", "zero", "endSeconds", 1), 400, "request.invalid_value"));
        for (Case c : cases) {
            as(owner).contentType(ContentType.JSON).body(c.body()).post("/api/videos/{id}/trim", source)
                    .then().statusCode(c.status()).contentType("application/problem+json").body("code", equalTo(c.code()));
        }
        as(owner).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                .post("/api/videos/{id}/trim", processing).then().statusCode(409).body("code", equalTo("video.not_ready"));
        as(owner).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                .post("/api/videos/not-a-uuid/trim").then().statusCode(404);
        assertThat(total(owner)).isEqualTo(before);
        // the whole duration is a valid range
        as(owner).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 3.0))
                .post("/api/videos/{id}/trim", source).then().statusCode(202);
    }

    @Test
    void mergeOfOwnReadyVideos() {
        UUID owner = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "Part A", Visibility.PRIVATE);
        UUID b = fixtures.ready(owner, "Part B", Visibility.PLATFORM);
        Response accepted = as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(a, b)))
                .post("/api/videos/merge");
        accepted.then().statusCode(202);
        String jobId = accepted.path("jobId");
        as(owner).get("/api/videos/{id}", (String) accepted.path("videoId")).then().statusCode(200)
                .body("status", equalTo("PROCESSING")).body("title", equalTo("Merge of 2 videos"));
        ConsumerRecord<String, String> record = KafkaTopics.await(Topics.TRANSCODE_REQUESTS,
                e -> jobId.equals(e.path("data").path("jobId").asText()), Duration.ofSeconds(20));
        assertThat(record.value()).contains("\"MERGE\"").contains(a.toString()).contains(b.toString());
    }

    @Test
    void badMergesCreateNothing() {
        UUID owner = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID mine = fixtures.ready(owner, "Mine", Visibility.PRIVATE);
        UUID foreignPrivate = fixtures.ready(other, "Theirs", Visibility.PRIVATE);
        UUID foreignPublic = fixtures.ready(other, "Theirs public", Visibility.PLATFORM);
        int before = total(owner);
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine)))
                .post("/api/videos/merge").then().statusCode(400).body("code", equalTo("edit.merge_too_few"));
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of()))
                .post("/api/videos/merge").then().statusCode(400);
        as(owner).contentType(ContentType.JSON).body(Map.of("title", "x"))
                .post("/api/videos/merge").then().statusCode(400);
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine, foreignPrivate)))
                .post("/api/videos/merge").then().statusCode(404);
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine, foreignPublic)))
                .post("/api/videos/merge").then().statusCode(403);
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine.toString(), "nope")))
                .post("/api/videos/merge").then().statusCode(400).contentType("application/problem+json");
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine, UUID.randomUUID())))
                .post("/api/videos/merge").then().statusCode(404);
        assertThat(total(owner)).isEqualTo(before);
    }

    /** Merge accepted the same id twenty times: twenty full encodes of one video for one request. */
    @Test
    void aMergeNamingAVideoTwiceIsRefused() {
        UUID owner = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "Twice", Visibility.PRIVATE);
        UUID b = fixtures.ready(owner, "Once", Visibility.PRIVATE);
        int before = total(owner);
        as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(a, b, a)))
                .post("/api/videos/merge").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("edit.duplicate_video"));
        assertThat(total(owner)).isEqualTo(before);
    }

    /** Trim and merge made videos without any storage reservation: a loop of merges grew storage without bound. */
    @Test
    void editsReserveTheirStorageBeforeAnsweringAndAreRefusedOverQuota() {
        UUID owner = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "Reserve A", Visibility.PRIVATE);
        UUID b = fixtures.ready(owner, "Reserve B", Visibility.PRIVATE);
        Response merged = as(owner).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(a, b)))
                .post("/api/videos/merge");
        merged.then().statusCode(202);
        UUID videoId = UUID.fromString(merged.path("videoId"));
        assertThat(CatalogTestResource.quota().reservation(videoId)).get().satisfies(r -> {
            assertThat(r.userId()).isEqualTo(owner);
            assertThat(r.videoId()).isEqualTo(videoId);
            assertThat(r.bytes()).isPositive();
        });

        UUID poor = UUID.randomUUID();
        UUID source = fixtures.ready(poor, "Too big to copy", Visibility.PRIVATE);
        CatalogTestResource.quota().setStorageLimit(poor, 1);
        int before = total(poor);
        as(poor).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                .post("/api/videos/{id}/trim", source).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("quota.storage_exceeded"));
        assertThat(total(poor)).isEqualTo(before);
    }

    /** Nothing limited how many edits one user could queue (test profile: 3 videos processing at a time). */
    @Test
    void queuedEditsAreCappedPerUser() {
        UUID owner = UUID.randomUUID();
        UUID source = fixtures.ready(owner, "Often cut", Visibility.PRIVATE);
        for (int i = 0; i < 3; i++) {
            as(owner).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                    .post("/api/videos/{id}/trim", source).then().statusCode(202);
        }
        as(owner).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                .post("/api/videos/{id}/trim", source).then().statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("edit.too_many_queued"));
    }
}
