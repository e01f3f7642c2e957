package dev.clipflow.catalog.admin;

import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static dev.clipflow.catalog.support.Fixtures.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The platform's dead letters through catalog-service's admin API: listed with their reason, replayed. */
@QuarkusTest
class DeadLetterAdminTest {

    @Test
    void anInvalidEventIsListedWithItsReasonAndReplayedIntoItsTopic() {
        UUID admin = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        KafkaTopics.send(Topics.VIDEO_FAILED, key.toString(), "{\"not\": \"a cloud event\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin(admin)
                .get("/api/admin/dead-letters/{topic}", Topics.VIDEO_FAILED).then().statusCode(200)
                .body("key", hasItem(key.toString())));
        List<Integer> partition = asAdmin(admin).get("/api/admin/dead-letters/{topic}", Topics.VIDEO_FAILED)
                .then().extract().jsonPath().getList("findAll { it.key == '" + key + "' }.partition");
        List<Long> offset = asAdmin(admin).get("/api/admin/dead-letters/{topic}", Topics.VIDEO_FAILED)
                .then().extract().jsonPath().getList("findAll { it.key == '" + key + "' }.offset", Long.class);
        asAdmin(admin).get("/api/admin/dead-letters/{topic}", Topics.VIDEO_FAILED).then()
                .body("find { it.key == '" + key + "' }.reason", startsWith("Schema validation failed"))
                .body("find { it.key == '" + key + "' }.service", equalTo("/clipflow/catalog-service"))
                .body("find { it.key == '" + key + "' }.replayedAt", equalTo(null));
        asAdmin(admin).get("/api/admin/dead-letters").then().statusCode(200)
                .body("find { it.topic == 'video.failed' }.deadLetterTopic", equalTo("video.failed.dlq"));

        asAdmin(admin).post("/api/admin/dead-letters/{topic}/{partition}/{offset}/replay", Topics.VIDEO_FAILED,
                partition.get(0), offset.get(0)).then().statusCode(200).body("replayedAt", notNullValue());
        // still invalid: it comes back as a new dead letter, and the first one shows its replay
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin(admin)
                .get("/api/admin/dead-letters/{topic}", Topics.VIDEO_FAILED).then()
                .body("findAll { it.key == '" + key + "' }.size()", equalTo(2))
                .body("find { it.key == '" + key + "' && it.offset == " + offset.get(0) + " }.replayedAt", notNullValue()));
    }

    @Test
    void onlyAdminsSeeDeadLettersAndBadInputIsAProblem() {
        as(UUID.randomUUID()).get("/api/admin/dead-letters").then().statusCode(403);
        as(UUID.randomUUID()).post("/api/admin/dead-letters/{topic}/replay", Topics.VIDEO_FAILED).then().statusCode(403);
        UUID admin = UUID.randomUUID();
        asAdmin(admin).get("/api/admin/dead-letters/{topic}", "no.such.topic").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("dead_letter.unknown_topic"));
        asAdmin(admin).post("/api/admin/dead-letters/{topic}/{partition}/{offset}/replay", Topics.VIDEO_FAILED, "x", 1)
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin(admin).post("/api/admin/dead-letters/{topic}/{partition}/{offset}/replay", Topics.VIDEO_FAILED, 0,
                "99999999999999999999").then().statusCode(400).contentType("application/problem+json");
        asAdmin(admin).post("/api/admin/dead-letters/{topic}/{partition}/{offset}/replay", Topics.VIDEO_FAILED, 0,
                Long.MAX_VALUE).then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("dead_letter.not_found"));
    }
}
