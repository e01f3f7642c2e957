package dev.clipflow.catalog.video;

import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.catalog.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static dev.clipflow.catalog.support.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class VideoApiTest {

    @Inject
    Fixtures fixtures;

    @Test
    void videoJsonHasEveryContractField() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Sunset at sea", "sunset.mov", "Waves", "Vlog", Visibility.PRIVATE);
        String base = CatalogTestResource.PUBLIC_BASE + "/api/videos/" + id;
        as(owner).get("/api/videos/{id}", id).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id.toString()))
                .body("ownerId", equalTo(owner.toString()))
                .body("title", equalTo("Sunset at sea"))
                .body("description", equalTo("Waves"))
                .body("category", equalTo("Vlog"))
                .body("visibility", equalTo("PRIVATE"))
                .body("fileName", equalTo("sunset.mov"))
                .body("sizeBytes", equalTo(12345))
                .body("status", equalTo("READY"))
                .body("progress", equalTo(100))
                .body("durationSeconds", equalTo(3.0f))
                .body("width", equalTo(320))
                .body("height", equalTo(240))
                .body("renditions[0].name", equalTo("240p"))
                .body("thumbnailUrl", equalTo(base + "/thumbnail"))
                .body("streamUrl", equalTo(base + "/stream"))
                .body("hlsUrl", equalTo(base + "/hls/r/" + id + "/master.m3u8"))
                .body("createdAt", org.hamcrest.Matchers.notNullValue())
                .body("failureReason", nullValue())
                .body(".", org.hamcrest.Matchers.hasKey("failureReason"));
    }

    @Test
    void processingVideoHasNoPlaybackUrls() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Fresh", "fresh.mp4", null, null);
        as(owner).get("/api/videos/{id}", id).then().statusCode(200)
                .body("status", equalTo("PROCESSING"))
                .body("streamUrl", nullValue())
                .body("hlsUrl", nullValue());
    }

    @Test
    void listsOwnVideosNewestFirstWithPaging() {
        UUID owner = UUID.randomUUID();
        UUID first = fixtures.processing(owner, "One", "one.mp4", null, null);
        UUID second = fixtures.processing(owner, "Two", "two.mp4", null, null);
        UUID third = fixtures.processing(owner, "Three", "three.mp4", null, null);
        fixtures.processing(UUID.randomUUID(), "Not mine", "other.mp4", null, null);

        as(owner).get("/api/videos").then().statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.id", contains(third.toString(), second.toString(), first.toString()));
        as(owner).queryParam("page", 1).queryParam("size", 2).get("/api/videos").then().statusCode(200)
                .body("total", equalTo(3)).body("size", equalTo(2))
                .body("items.id", contains(first.toString()));
        as(owner).queryParam("size", 1000).get("/api/videos").then().statusCode(200).body("size", equalTo(100));
        as(owner).queryParam("size", 0).get("/api/videos").then().statusCode(400)
                .contentType("application/problem+json");
        as(owner).queryParam("page", -1).get("/api/videos").then().statusCode(400);
    }

    /** page x size past Integer.MAX_VALUE overflowed the SQL offset into a negative number: a 500. */
    @Test
    void aPageBeyondTheLastPossibleRowIsTheCallersError() {
        as(UUID.randomUUID()).queryParam("page", 21_474_837).queryParam("size", 100).get("/api/videos").then()
                .statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        as(UUID.randomUUID()).queryParam("page", Integer.MAX_VALUE).queryParam("size", 1).get("/api/videos")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void scopeAllAddsReadyPlatformVideosOfOthers() {
        UUID me = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID mine = fixtures.processing(me, "Mine", "mine.mp4", null, null);
        UUID shared = fixtures.ready(other, "Public talk", Visibility.PLATFORM);
        UUID hidden = fixtures.ready(other, "Secret talk", Visibility.PRIVATE);

        as(me).get("/api/videos").then().body("items.id", contains(mine.toString()));
        as(me).queryParam("scope", "all").queryParam("size", 100).get("/api/videos").then().statusCode(200)
                .body("items.id", hasItem(shared.toString()))
                .body("items.id", hasItem(mine.toString()))
                .body("items.id", not(hasItem(hidden.toString())));
        as(me).queryParam("scope", "everything").get("/api/videos").then().statusCode(400);
    }

    @Test
    void publishingToThePlatformShowsTheVideoToOthersAndPrivateHidesItAgain() {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Going public", Visibility.PRIVATE);
        as(viewer).get("/api/videos/{id}", id).then().statusCode(404);
        as(owner).contentType(ContentType.JSON).body(Map.of("visibility", "PLATFORM"))
                .patch("/api/videos/{id}", id).then().statusCode(200);
        as(viewer).get("/api/videos/{id}", id).then().statusCode(200).body("visibility", equalTo("PLATFORM"));
        as(viewer).queryParam("scope", "all").queryParam("q", "going public").get("/api/videos").then()
                .body("items.id", contains(id.toString()));
        as(owner).contentType(ContentType.JSON).body(Map.of("visibility", "PRIVATE"))
                .patch("/api/videos/{id}", id).then().statusCode(200);
        as(viewer).get("/api/videos/{id}", id).then().statusCode(404);
        as(viewer).get("/api/videos/{id}/stream", id).then().statusCode(404);
    }

    @Test
    void searchesTitleDescriptionAndFileNameWithPrefixes() {
        UUID owner = UUID.randomUUID();
        UUID byTitle = fixtures.processing(owner, "Mountain hiking diary", "a.mp4", null, null);
        UUID byDescription = fixtures.processing(owner, "Day two", "b.mp4", "We climbed the glacier", null);
        UUID byFile = fixtures.processing(owner, "Untitled clip", "holiday_2024-final.mp4", null, null);

        as(owner).queryParam("q", "mount").get("/api/videos").then().body("items.id", contains(byTitle.toString()));
        as(owner).queryParam("q", "GLACIER").get("/api/videos").then()
                .body("items.id", contains(byDescription.toString()));
        as(owner).queryParam("q", "holid").get("/api/videos").then().body("items.id", contains(byFile.toString()));
        as(owner).queryParam("q", "2024 final").get("/api/videos").then().body("items.id", contains(byFile.toString()));
        as(owner).queryParam("q", "hiking diary").get("/api/videos").then()
                .body("items.id", contains(byTitle.toString()));
        as(owner).queryParam("q", "nothing-like-this").get("/api/videos").then().body("total", equalTo(0));
        // punctuation cannot break the query syntax
        as(owner).queryParam("q", "mount & | ! :* ('").get("/api/videos").then().statusCode(200)
                .body("items.id", contains(byTitle.toString()));
    }

    @Test
    void filtersByCategoryAndStatus() {
        UUID owner = UUID.randomUUID();
        UUID drama = fixtures.processing(owner, "A", "a.mp4", null, "Drama");
        UUID ready = fixtures.ready(owner, "B", "b.mp4", null, "Tutorial", Visibility.PRIVATE);

        as(owner).queryParam("category", "drama").get("/api/videos").then().body("items.id", contains(drama.toString()));
        as(owner).queryParam("status", "READY").get("/api/videos").then().body("items.id", contains(ready.toString()));
        as(owner).queryParam("status", "DONE").get("/api/videos").then().statusCode(400)
                .body("code", equalTo("request.invalid_value"));
    }

    @Test
    void patchChangesTheEditableFields() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Old", "old.mp4", "old text", null);
        as(owner).contentType(ContentType.JSON)
                .body(Map.of("title", "New title", "description", "New text", "category", "romance",
                        "visibility", "PLATFORM"))
                .patch("/api/videos/{id}", id).then().statusCode(200)
                .body("title", equalTo("New title"))
                .body("description", equalTo("New text"))
                .body("category", equalTo("Romance"))
                .body("visibility", equalTo("PLATFORM"));
        as(owner).contentType(ContentType.JSON).body(Map.of("title", "Only title"))
                .patch("/api/videos/{id}", id).then().statusCode(200)
                .body("title", equalTo("Only title")).body("description", equalTo("New text"));
        as(owner).get("/api/videos/{id}", id).then().body("title", equalTo("Only title"));
    }

    @Test
    void patchRejectsBadInputAndChangesNothing() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Keep", "keep.mp4", null, null);
        as(owner).contentType(ContentType.JSON).body(Map.of("category", "Horror", "title", "Changed"))
                .patch("/api/videos/{id}", id).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("video.unknown_category"));
        as(owner).contentType(ContentType.JSON).body(Map.of("title", "x".repeat(201)))
                .patch("/api/videos/{id}", id).then().statusCode(400).body("code", equalTo("request.invalid"));
        as(owner).contentType(ContentType.JSON).body(Map.of("title", "  "))
                .patch("/api/videos/{id}", id).then().statusCode(400);
        as(owner).contentType(ContentType.JSON).body(Map.of("visibility", "PUBLIC"))
                .patch("/api/videos/{id}", id).then().statusCode(400);
        as(owner).contentType(ContentType.JSON).body(Map.of("title", "T", "owner", "me"))
                .patch("/api/videos/{id}", id).then().statusCode(400).body("code", equalTo("request.unknown_field"));
        as(owner).contentType(ContentType.JSON).body("{not json")
                .patch("/api/videos/{id}", id).then().statusCode(400);
        as(owner).get("/api/videos/{id}", id).then().body("title", equalTo("Keep")).body("category", nullValue());
    }

    @Test
    void badIdsAreNotFound() {
        UUID owner = UUID.randomUUID();
        as(owner).get("/api/videos/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        as(owner).get("/api/videos/{id}", UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("not_found"));
    }

    @Test
    void platformVideoOfAnotherUserIsWatchableButNotChangeable() {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Shared", Visibility.PLATFORM);

        as(viewer).get("/api/videos/{id}", id).then().statusCode(200);
        as(viewer).get("/api/videos/{id}/stream", id).then().statusCode(200);
        as(viewer).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(200);
        as(viewer).contentType(ContentType.JSON).body(Map.of("title", "Hijacked"))
                .patch("/api/videos/{id}", id).then().statusCode(403).body("code", equalTo("video.not_owner"));
        as(viewer).delete("/api/videos/{id}", id).then().statusCode(403);
        as(viewer).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 60))
                .post("/api/videos/{id}/share", id).then().statusCode(403);
        as(viewer).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                .post("/api/videos/{id}/trim", id).then().statusCode(403);
        as(viewer).contentType("image/png").body(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .put("/api/videos/{id}/thumbnail", id).then().statusCode(403);
        as(owner).get("/api/videos/{id}", id).then().body("title", equalTo("Shared"));
    }

    @Test
    void privateVideoOfAnotherUserIsNotFoundOnEveryEndpoint() {
        UUID owner = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Diary", Visibility.PRIVATE);
        UUID mine = fixtures.ready(stranger, "Mine", Visibility.PRIVATE);
        List<Runnable> calls = List.of(
                () -> as(stranger).get("/api/videos/{id}", id).then().statusCode(404),
                () -> as(stranger).contentType(ContentType.JSON).body(Map.of("title", "x"))
                        .patch("/api/videos/{id}", id).then().statusCode(404),
                () -> as(stranger).delete("/api/videos/{id}", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/stream", id).then().statusCode(404),
                () -> as(stranger).head("/api/videos/{id}/stream", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/download", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/thumbnail", id).then().statusCode(404),
                () -> as(stranger).contentType("image/jpeg").body(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})
                        .put("/api/videos/{id}/thumbnail", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/hls/240p/index.m3u8", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/hls/240p/seg_000.ts", id).then().statusCode(404),
                () -> as(stranger).get("/api/videos/{id}/direct-url", id).then().statusCode(404),
                () -> as(stranger).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 60))
                        .post("/api/videos/{id}/share", id).then().statusCode(404),
                () -> as(stranger).contentType(ContentType.JSON).body(Map.of("startSeconds", 0, "endSeconds", 1))
                        .post("/api/videos/{id}/trim", id).then().statusCode(404),
                () -> as(stranger).contentType(ContentType.JSON).body(Map.of("videoIds", List.of(mine, id)))
                        .post("/api/videos/merge").then().statusCode(404),
                () -> as(stranger).queryParam("q", "Diary").queryParam("scope", "all").get("/api/videos").then()
                        .statusCode(200).body("items.id", not(hasItem(id.toString()))));
        calls.forEach(Runnable::run);
        assertThat(fixtures.exists(id)).isTrue();
        as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("title", equalTo("Diary"));
    }

    @Test
    void adminReadsAndChangesAnyVideo() {
        UUID owner = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Private thing", Visibility.PRIVATE);
        asAdmin(admin).get("/api/videos/{id}", id).then().statusCode(200);
        asAdmin(admin).get("/api/videos/{id}/stream", id).then().statusCode(200);
        asAdmin(admin).contentType(ContentType.JSON).body(Map.of("title", "Moderated"))
                .patch("/api/videos/{id}", id).then().statusCode(200).body("title", equalTo("Moderated"));
        asAdmin(admin).delete("/api/videos/{id}", id).then().statusCode(204);
        as(owner).get("/api/videos/{id}", id).then().statusCode(404);
    }

    @Test
    void ownerDeletesTheirVideoAndItsBlobs() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Gone soon", Visibility.PRIVATE);
        assertThat(java.nio.file.Files.exists(CatalogTestResource.blobs().resolve("videos/" + id + "/video.mp4"))).isTrue();
        assertThat(java.nio.file.Files.exists(CatalogTestResource.blobs().resolve("videos/" + id + "/audio.m4a"))).isTrue();
        as(owner).delete("/api/videos/{id}", id).then().statusCode(204);
        as(owner).get("/api/videos/{id}", id).then().statusCode(404);
        as(owner).delete("/api/videos/{id}", id).then().statusCode(404);
        assertThat(java.nio.file.Files.exists(CatalogTestResource.blobs().resolve("videos/" + id + "/video.mp4"))).isFalse();
        assertThat(java.nio.file.Files.exists(CatalogTestResource.blobs().resolve("videos/" + id + "/hls/master.m3u8")))
                .isFalse();
        assertThat(java.nio.file.Files.exists(CatalogTestResource.blobs().resolve("videos/" + id + "/audio.m4a"))).isFalse();
    }

    @Test
    void categoriesAreSeededAndAdminCurated() {
        UUID user = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        as(user).get("/api/categories").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItems("Drama", "Romance", "Action", "Documentary", "Tutorial", "Vlog"));
        String name = "Cat" + UUID.randomUUID().toString().substring(0, 8);
        as(user).contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/categories").then().statusCode(403);
        String id = asAdmin(admin).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/categories").then().statusCode(201).body("name", equalTo(name)).extract().path("id");
        asAdmin(admin).contentType(ContentType.JSON).body(Map.of("name", name.toUpperCase()))
                .post("/api/categories").then().statusCode(409).body("code", equalTo("category.exists"));
        asAdmin(admin).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/api/categories").then().statusCode(400);
        asAdmin(admin).contentType(ContentType.JSON).body(Map.of("name", "x".repeat(61)))
                .post("/api/categories").then().statusCode(400);
        // found by the system tests' bad-input sweep: text/plain made a category named after the JSON text
        asAdmin(admin).contentType("text/plain").body("{\"name\":\"Plain" + name + "\"}")
                .post("/api/categories").then().statusCode(415).contentType("application/problem+json");
        as(user).get("/api/categories").then().body("name", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("Plain"))));

        UUID video = fixtures.processing(user, "Uses it", "u.mp4", null, null);
        as(user).contentType(ContentType.JSON).body(Map.of("category", name)).patch("/api/videos/{id}", video)
                .then().statusCode(200).body("category", equalTo(name));
        asAdmin(admin).delete("/api/categories/{id}", id).then().statusCode(409).body("code", equalTo("category.in_use"));
        as(user).contentType(ContentType.JSON).body(Map.of("category", "")).patch("/api/videos/{id}", video)
                .then().statusCode(200).body("category", nullValue());
        as(user).delete("/api/categories/{id}", id).then().statusCode(403);
        asAdmin(admin).delete("/api/categories/{id}", id).then().statusCode(204);
        asAdmin(admin).delete("/api/categories/{id}", id).then().statusCode(404);
        as(user).get("/api/categories").then().body("name", not(hasItem(name)));
        as(user).get("/api/categories").then().body("name", containsInAnyOrder(
                as(user).get("/api/categories").then().extract().jsonPath().getList("name").toArray()));
    }
}
