package dev.clipflow.system;

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
 * {@code GET /api/quota/me} counts every byte a user's videos occupy in the blob store, per video and in
 * total, to the byte: compared with the local blob store's listing after uploads, their transcodes (MP4,
 * HLS renditions, thumbnail), an edit whose original the transcode worker stored itself, a thumbnail the
 * owner replaced with their own, and captions. The original the owner downloads is the uploaded file, to the
 * byte (its SHA-256 as the ETag).
 */
@ExtendWith(Stack.class)
class StoredBytesTest {

    @Test
    void theQuotasStoredBytesAreExactlyWhatTheBlobStoreHoldsForTheUsersVideos(@TempDir Path dir) throws Exception {
        Users.User ida = Users.signUp("Ida");
        Path small = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        Path wide = Media.clip(dir, Videos.unique() + ".mp4", 640, 360, 2.0);
        UUID first = Videos.uploadChunked(ida, small, "Small", "Vlog");
        UUID second = Videos.uploadChunked(ida, wide, "Wide", "Vlog");
        Videos.awaitReady(ida, first);
        Videos.awaitReady(ida, second);
        String sha256 = sha256(Files.readAllBytes(small));
        var original = given().auth().oauth2(ida.accessToken()).get(url("/api/videos/" + first + "/original"))
                .then().statusCode(200).header("ETag", "\"" + sha256 + "\"").extract();
        assertThat(sha256(original.asByteArray())).as("the original's SHA-256").isEqualTo(sha256);
        assertThat(original.header("Content-Disposition")).contains(small.getFileName().toString());
        UUID trimmed = UUID.fromString(given().auth().oauth2(ida.accessToken()).contentType("application/json")
                .body(Map.of("startSeconds", 0.5, "endSeconds", 1.5, "title", "Cut"))
                .post(url("/api/videos/" + second + "/trim")).then().statusCode(202).extract().jsonPath()
                .getString("videoId"));
        Videos.awaitReady(ida, trimmed);
        List<UUID> videos = List.of(first, second, trimmed);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> StoredBytes.assertExact(ida, videos));

        // the owner's own thumbnail (a size the generated one never has) replaces the stored one: still exact
        byte[] custom = new byte[12_345];
        custom[0] = (byte) 0xFF;
        custom[1] = (byte) 0xD8;
        custom[2] = (byte) 0xFF;
        given().auth().oauth2(ida.accessToken()).contentType("image/jpeg").body(custom)
                .put(url("/api/videos/" + first + "/thumbnail")).then().statusCode(200);
        // captions count too (every language of the video together)
        given().auth().oauth2(ida.accessToken()).contentType("text/vtt")
                .body("WEBVTT\n\n00:00.000 --> 00:00.900\nA small clip\n").put(url("/api/videos/" + first + "/captions/en"))
                .then().statusCode(201);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> StoredBytes.assertExact(ida, videos));
        // nothing of the user's is in the store beyond what the quota names: the catalog lists the same videos
        assertThat(given().auth().oauth2(ida.accessToken()).queryParam("scope", "mine").get(url("/api/videos"))
                .then().statusCode(200).extract().jsonPath().getList("items.id", String.class))
                .containsExactlyInAnyOrderElementsOf(videos.stream().map(UUID::toString).toList());
    }

    /**
     * Dedup by content: the same file uploaded again by its owner is not stored, charged or transcoded again (no
     * second job, used bytes unchanged, the quota still exact against the store); the copies play the first one's
     * renditions, and deleting any of them keeps the others playable; the blobs go with the last one.
     */
    @Test
    void theSameFileUploadedAgainIsStoredChargedAndTranscodedOnce(@TempDir Path dir) throws Exception {
        Users.User una = Users.signUp("Una");
        Path file = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        UUID first = Videos.uploadChunked(una, file, "First", "Vlog");
        Videos.awaitReady(una, first);
        long used = usedBytes(una);
        assertThat(used).isEqualTo(Files.size(file));
        List<UUID> copies = new java.util.ArrayList<>();
        for (String title : List.of("Again", "Once more")) {
            Path copy = Files.copy(file, dir.resolve(Videos.unique() + ".mp4"));
            UUID video = Videos.uploadChunked(una, copy, title, "Vlog");
            var ready = Videos.awaitReady(una, video);
            assertThat(ready.getString("title")).isEqualTo(title);
            assertThat(ready.getList("renditions.name")).isEqualTo(Videos.get(una, first).getList("renditions.name"));
            copies.add(video);
        }
        for (UUID copy : copies) {
            assertThat(given().auth().oauth2(una.accessToken()).queryParam("videoId", copy).get(url("/api/jobs"))
                    .then().statusCode(200).extract().jsonPath().getList("items")).as("jobs of the copy").isEmpty();
            assertThat(Blobs.files("originals/" + copy)).as("nothing stored for the copy's original").isEmpty();
        }
        assertThat(given().auth().oauth2(una.accessToken()).get(url("/api/jobs")).then().statusCode(200)
                .extract().jsonPath().getList("items")).as("one transcode job for the three uploads").hasSize(1);
        List<UUID> all = List.of(first, copies.get(0), copies.get(1));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> StoredBytes.assertExact(una, all));
        assertThat(usedBytes(una)).as("charged once").isEqualTo(used);

        // a copy goes: the first plays on
        delete(una, copies.get(0));
        assertPlays(una, first);
        // the first (whose blobs they share) goes: the last copy plays on, and the charge stays (moved onto it)
        delete(una, first);
        assertPlays(una, copies.get(1));
        assertThat(Blobs.files("videos/" + first + "/hls")).as("the shared renditions").isNotEmpty();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(usedBytes(una)).isEqualTo(used));
        // the last one goes: every blob of the content goes with it, nothing stays charged
        delete(una, copies.get(1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(Blobs.files("videos/" + first)).as("blobs of the shared content").isEmpty();
            assertThat(Blobs.files("originals/" + first)).isEmpty();
            assertThat(Blobs.files("videos/" + copies.get(1))).isEmpty();
        });
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(usedBytes(una)).isZero());
    }

    private static long usedBytes(Users.User user) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/quota/me")).then().statusCode(200)
                .extract().jsonPath().getLong("storage.usedBytes");
    }

    private static void delete(Users.User user, UUID video) {
        given().auth().oauth2(user.accessToken()).delete(url("/api/videos/" + video)).then().statusCode(204);
    }

    /** The master playlist, each rendition's playlist and every segment it names answer 200; the MP4 too. */
    private static void assertPlays(Users.User user, UUID video) {
        String base = "/api/videos/" + video + "/hls/";
        String master = given().auth().oauth2(user.accessToken()).get(url(base + "master.m3u8")).then().statusCode(200)
                .extract().asString();
        List<String> renditions = master.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(renditions).isNotEmpty();
        for (String rendition : renditions) {
            String folder = rendition.contains("/") ? rendition.substring(0, rendition.lastIndexOf('/') + 1) : "";
            String playlist = given().auth().oauth2(user.accessToken()).get(url(base + rendition)).then()
                    .statusCode(200).extract().asString();
            for (String line : playlist.lines().toList()) {
                var map = java.util.regex.Pattern.compile("URI=\"([^\"]+)\"").matcher(line);
                String uri = line.startsWith("#EXT-X-MAP") && map.find() ? map.group(1)
                        : !line.isBlank() && !line.startsWith("#") ? line : null;
                if (uri != null) {
                    given().auth().oauth2(user.accessToken()).get(url(base + folder + uri)).then().statusCode(200);
                }
            }
        }
        given().auth().oauth2(user.accessToken()).get(url("/api/videos/" + video + "/stream")).then().statusCode(200);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
