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

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
