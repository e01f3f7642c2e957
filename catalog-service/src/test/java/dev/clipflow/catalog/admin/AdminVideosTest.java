package dev.clipflow.catalog.admin;

import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static dev.clipflow.catalog.support.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AdminVideosTest {

    @Inject
    Fixtures fixtures;

    @Test
    void adminListsAnyUsersVideosWithSearch() {
        UUID owner = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "Quarterly report", Visibility.PRIVATE);
        UUID b = fixtures.processing(owner, "Cat video", "cat.mp4", null, null);
        asAdmin(admin).queryParam("ownerId", owner).get("/api/admin/videos").then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", containsInAnyOrder(a.toString(), b.toString()));
        asAdmin(admin).queryParam("ownerId", owner).queryParam("q", "quart").get("/api/admin/videos").then()
                .body("items.id", containsInAnyOrder(a.toString()));
        asAdmin(admin).queryParam("ownerId", "not-a-uuid").get("/api/admin/videos").then().statusCode(400);
        as(owner).get("/api/admin/videos").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void adminDeletesOneVideoAndPublishesVideoDeleted() {
        UUID owner = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Against the rules", Visibility.PLATFORM);
        as(UUID.randomUUID()).delete("/api/admin/videos/{id}", id).then().statusCode(403);
        asAdmin(admin).delete("/api/admin/videos/{id}", id).then().statusCode(204);
        asAdmin(admin).delete("/api/admin/videos/{id}", id).then().statusCode(404);
        var record = KafkaTopics.await(Topics.VIDEO_DELETED, e -> id.toString().equals(e.path("subject").asText()),
                Duration.ofSeconds(20));
        assertThat(record.key()).isEqualTo(id.toString());
        assertThat(record.value()).contains(admin.toString());
    }

    @Test
    void adminDeletesOneUsersVideos() {
        UUID owner = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        UUID a = fixtures.ready(owner, "A", Visibility.PRIVATE);
        UUID b = fixtures.processing(owner, "B", "b.mp4", null, null);
        UUID kept = fixtures.processing(other, "C", "c.mp4", null, null);
        asAdmin(admin).queryParam("ownerId", owner).delete("/api/admin/videos").then().statusCode(200)
                .body("deleted", equalTo(2));
        assertThat(fixtures.exists(a)).isFalse();
        assertThat(fixtures.exists(b)).isFalse();
        assertThat(fixtures.exists(kept)).isTrue();
    }

    @Test
    void deletingEverythingNeedsConfirmation() {
        UUID admin = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Survivor", "s.mp4", null, null);
        asAdmin(admin).delete("/api/admin/videos").then().statusCode(400).body("code", equalTo("admin.confirm_required"));
        asAdmin(admin).queryParam("confirm", "false").delete("/api/admin/videos").then().statusCode(400);
        as(owner).queryParam("confirm", "true").delete("/api/admin/videos").then().statusCode(403);
        assertThat(fixtures.exists(id)).isTrue();
        asAdmin(admin).queryParam("confirm", "true").delete("/api/admin/videos").then().statusCode(200);
        assertThat(fixtures.exists(id)).isFalse();
        assertThat(fixtures.count()).isZero();
    }
}
