package dev.clipflow.system;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A person's whole path through the platform, through the gateway: sign up from the e-mail,
 * upload in parallel out-of-order chunks, watch it transcode, find it, stream a range, play the
 * HLS tree, share it without login, trim, merge, check the quota, delete, quota released.
 */
@Tag("journey")
@ExtendWith(Stack.class)
class UserJourneyTest {

    @Test
    void uploadWatchShareEditDelete(@TempDir Path dir) {
        Users.User alice = Users.signUp("Alice");
        String word = Videos.unique();
        Path clip = Media.clip(dir, word + ".mp4", 640, 360, 3.0);

        UUID video = Videos.uploadChunked(alice, clip, "Holiday " + word, "Vlog");
        JsonPath ready = Videos.awaitReady(alice, video);
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(3.0, within(0.2));
        assertThat(ready.getInt("height")).isEqualTo(360);
        assertThat(ready.getList("renditions")).isNotEmpty();

        // find it: own list and full-text search on the title word
        given().auth().oauth2(alice.accessToken()).queryParam("q", word).get(url("/api/videos"))
                .then().statusCode(200).extract().jsonPath().getList("items.id").contains(video.toString());

        // stream a byte range
        Response range = given().auth().oauth2(alice.accessToken()).header("Range", "bytes=0-99")
                .get(url("/api/videos/" + video + "/stream"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.header("Content-Range")).startsWith("bytes 0-99/");
        assertThat(range.asByteArray()).hasSize(100);

        // the HLS tree parses and ffprobe plays it over HTTP with the token
        String master = given().auth().oauth2(alice.accessToken()).get(url("/api/videos/" + video + "/hls/master.m3u8"))
                .then().statusCode(200).extract().asString();
        assertThat(master).startsWith("#EXTM3U").contains("#EXT-X-STREAM-INF");
        String rendition = master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
        String playlist = given().auth().oauth2(alice.accessToken())
                .get(url("/api/videos/" + video + "/hls/" + rendition)).then().statusCode(200).extract().asString();
        String base = rendition.substring(0, rendition.lastIndexOf('/') + 1);
        for (String segment : playlist.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            given().auth().oauth2(alice.accessToken()).get(url("/api/videos/" + video + "/hls/" + base + segment))
                    .then().statusCode(200);
        }
        assertThat(Media.duration(url("/api/videos/" + video + "/hls/master.m3u8"),
                "Authorization: Bearer " + alice.accessToken() + "\r\n")).isCloseTo(3.0, within(0.3));

        // share without login
        JsonPath share = given().auth().oauth2(alice.accessToken()).contentType("application/json")
                .body(Map.of("expiresInSeconds", 600)).post(url("/api/videos/" + video + "/share"))
                .then().statusCode(201).extract().jsonPath();
        String token = share.getString("token");
        given().get(url("/api/share/" + token)).then().statusCode(200);
        given().header("Range", "bytes=0-9").get(url("/api/share/" + token + "/stream")).then().statusCode(206);
        given().get(url("/api/share/" + token + "/hls/master.m3u8")).then().statusCode(200);

        // trim and merge make new videos owned by Alice
        JsonPath trim = given().auth().oauth2(alice.accessToken()).contentType("application/json")
                .body(Map.of("startSeconds", 0.5, "endSeconds", 2.0, "title", "Cut " + word))
                .post(url("/api/videos/" + video + "/trim")).then().statusCode(202).extract().jsonPath();
        UUID trimmed = UUID.fromString(trim.getString("videoId"));
        assertThat(Videos.awaitReady(alice, trimmed).getDouble("durationSeconds")).isCloseTo(1.5, within(0.15));
        JsonPath merge = given().auth().oauth2(alice.accessToken()).contentType("application/json")
                .body(Map.of("videoIds", List.of(video.toString(), trimmed.toString()), "title", "Both " + word))
                .post(url("/api/videos/merge")).then().statusCode(202).extract().jsonPath();
        UUID merged = UUID.fromString(merge.getString("videoId"));
        assertThat(Videos.awaitReady(alice, merged).getDouble("durationSeconds")).isCloseTo(4.5, within(0.3));
        given().auth().oauth2(alice.accessToken()).get(url("/api/jobs/" + merge.getString("jobId")))
                .then().statusCode(200).extract().jsonPath().getString("status").equals("SUCCEEDED");

        // quota shows the upload; deleting releases it
        JsonPath quota = given().auth().oauth2(alice.accessToken()).get(url("/api/quota/me"))
                .then().statusCode(200).extract().jsonPath();
        long used = quota.getLong("storage.usedBytes");
        assertThat(used).isGreaterThanOrEqualTo(clip.toFile().length());
        assertThat(quota.getList("files.videoId")).contains(video.toString());

        given().auth().oauth2(alice.accessToken()).delete(url("/api/videos/" + video)).then().statusCode(204);
        given().auth().oauth2(alice.accessToken()).get(url("/api/videos/" + video)).then().statusCode(404);
        given().get(url("/api/share/" + token)).then().statusCode(org.hamcrest.Matchers.oneOf(404, 410));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath after = given().auth().oauth2(alice.accessToken()).get(url("/api/quota/me")).jsonPath();
            assertThat(after.getList("files.videoId")).doesNotContain(video.toString());
            assertThat(after.getLong("storage.usedBytes")).isEqualTo(used - clip.toFile().length());
            assertThat(after.getInt("deletions.count")).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void anotherUserSeesNothingOfAPrivateVideo(@TempDir Path dir) {
        Users.User owner = Users.signUp("Owner");
        Users.User stranger = Users.signUp("Stranger");
        UUID video = Videos.uploadChunked(owner, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0), "Private", "Vlog");
        Videos.awaitReady(owner, video);

        for (String path : List.of("", "/stream", "/download", "/thumbnail", "/hls/master.m3u8", "/direct-url")) {
            given().auth().oauth2(stranger.accessToken()).get(url("/api/videos/" + video + path))
                    .then().statusCode(404);
        }
        given().auth().oauth2(stranger.accessToken()).delete(url("/api/videos/" + video)).then().statusCode(404);
        given().auth().oauth2(stranger.accessToken()).contentType("application/json").body(Map.of("title", "mine"))
                .patch(url("/api/videos/" + video)).then().statusCode(404);
        assertThat(given().auth().oauth2(stranger.accessToken()).queryParam("scope", "all").get(url("/api/videos"))
                .jsonPath().getList("items.id")).doesNotContain(video.toString());
    }

    /**
     * Issue 20 item 5: the owner replaces the file of a shared video. The video keeps playing its file while the new
     * one uploads and transcodes, then switches at once: same id, title and share link, the new media through the
     * link (ffprobe), a player that loaded the old master keeps getting the old media's files (the URLs name the media
     * root) until the grace period ends, quota charges the new size instead of the old one, the old blobs go.
     */
    /**
     * Issue 20, dedup by content, on the real stack: the same bytes uploaded twice by one user are stored and
     * transcoded once and charged once; deleting either video keeps the other playable, the last one takes the blobs.
     */
    @Test
    void theSameFileTwiceIsStoredTranscodedAndChargedOnceAndEitherCopyMayGo(@TempDir Path dir) throws Exception {
        Users.User carol = Users.signUp("Twice");
        String auth = "Authorization: Bearer " + carol.accessToken() + "\r\n";
        String word = Videos.unique();
        Path clip = Media.clip(dir, word + ".mp4", 320, 240, 2.0);
        long size = java.nio.file.Files.size(clip);
        UUID first = Videos.uploadChunked(carol, clip, "First " + word, "Vlog");
        Videos.awaitReady(carol, first);
        long used = usedBytes(carol);

        Path again = java.nio.file.Files.copy(clip, dir.resolve(word + "-again.mp4"));
        UUID second = Videos.uploadChunked(carol, again, "Second " + word, "Vlog");
        JsonPath ready = Videos.awaitReady(carol, second);
        assertThat(ready.getString("title")).isEqualTo("Second " + word);
        given().auth().oauth2(carol.accessToken()).queryParam("videoId", second).get(url("/api/jobs")).then()
                .statusCode(200).body("items", org.hamcrest.Matchers.empty());
        given().auth().oauth2(carol.accessToken()).queryParam("videoId", first).get(url("/api/jobs")).then()
                .statusCode(200).body("items", org.hamcrest.Matchers.hasSize(1));
        assertThat(Blobs.files("originals/" + second)).isEmpty();
        assertThat(Blobs.files("videos/" + second)).allMatch(key -> key.endsWith("thumbnail.jpg"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath quota = given().auth().oauth2(carol.accessToken()).get(url("/api/quota/me")).jsonPath();
            assertThat(quota.getList("files.videoId")).contains(first.toString(), second.toString());
            assertThat(quota.getLong("storage.usedBytes")).isEqualTo(used);
        });

        // either copy may go: the other still plays, and is charged what the first was
        given().auth().oauth2(carol.accessToken()).delete(url("/api/videos/" + first)).then().statusCode(204);
        assertThat(Media.streams(url("/api/videos/" + second + "/stream"), auth)).contains("320,240");
        String master = given().auth().oauth2(carol.accessToken()).get(url("/api/videos/" + second)).jsonPath()
                .getString("hlsUrl");
        assertThat(Media.duration(master, auth)).isCloseTo(2.0, within(0.3));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(usedBytes(carol)).isEqualTo(used));

        // the last one takes the blobs and the charge with it
        given().auth().oauth2(carol.accessToken()).delete(url("/api/videos/" + second)).then().statusCode(204);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(Blobs.files("videos/" + first)).isEmpty();
            assertThat(Blobs.files("originals/" + first)).isEmpty();
            assertThat(Blobs.files("videos/" + second)).isEmpty();
            assertThat(usedBytes(carol)).isEqualTo(used - size);
        });
    }

    private static long usedBytes(Users.User user) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/quota/me")).jsonPath().getLong("storage.usedBytes");
    }

    @Test
    void replacingTheFileKeepsTheShareLinkWorkingAcrossTheSwitch(@TempDir Path dir) throws Exception {
        Users.User alice = Users.signUp("Replacer");
        String word = Videos.unique();
        Path first = Media.clip(dir, word + "-first.mp4", 320, 240, 2.0);
        Path second = Media.clip(dir, word + "-second.mp4", 640, 360, 3.0);
        UUID video = Videos.uploadChunked(alice, first, "Replace " + word, "Vlog");
        Videos.awaitReady(alice, video);
        long usedBefore = given().auth().oauth2(alice.accessToken()).get(url("/api/quota/me")).jsonPath()
                .getLong("storage.usedBytes");
        String token = given().auth().oauth2(alice.accessToken()).contentType("application/json")
                .body(Map.of("expiresInSeconds", 3600)).post(url("/api/videos/" + video + "/share"))
                .then().statusCode(201).extract().jsonPath().getString("token");

        // a player holds the old master and a media playlist of it
        String oldMasterUrl = given().get(url("/api/share/" + token)).then().statusCode(200).extract().jsonPath()
                .getString("hlsUrl");
        assertThat(oldMasterUrl).endsWith("/api/share/" + token + "/hls/r/" + video + "/master.m3u8");
        String oldMaster = given().get(oldMasterUrl).then().statusCode(200).extract().asString();
        String rendition = oldMaster.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
        String oldBase = oldMasterUrl.substring(0, oldMasterUrl.lastIndexOf('/') + 1);
        String oldPlaylist = given().get(oldBase + rendition).then().statusCode(200).extract().asString();
        String oldSegment = oldBase + rendition.substring(0, rendition.lastIndexOf('/') + 1)
                + oldPlaylist.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
        byte[] oldSegmentBytes = given().get(oldSegment).then().statusCode(200).extract().asByteArray();

        // replace: the normal chunked session of the new file
        byte[] bytes = java.nio.file.Files.readAllBytes(second);
        JsonPath session = given().auth().oauth2(alice.accessToken()).contentType("application/json")
                .body(Map.of("size", bytes.length, "fileName", second.getFileName().toString(),
                        "contentType", "video/mp4", "sha256", Media.sha256(second)))
                .post(url("/api/videos/" + video + "/replace")).then().statusCode(201).extract().jsonPath();
        assertThat(session.getString("videoId")).isEqualTo(video.toString());
        UUID media = UUID.fromString(session.getString("mediaId"));
        // while pending: the old file plays, a second replace is refused, nobody else may replace it
        JsonPath pending = Videos.get(alice, video);
        assertThat(pending.getString("replace.status")).isEqualTo("PENDING");
        assertThat(pending.getInt("height")).isEqualTo(240);
        given().auth().oauth2(alice.accessToken()).contentType("application/json").body(Map.of("size", 1000))
                .post(url("/api/videos/" + video + "/replace")).then().statusCode(409)
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("video.replace_in_flight"));
        given().auth().oauth2(Users.signUp("Stranger").accessToken()).contentType("application/json")
                .body(Map.of("size", 1000)).post(url("/api/videos/" + video + "/replace")).then().statusCode(404);
        int chunkSize = session.getInt("chunkSize");
        for (int i = 0; i < session.getInt("totalChunks"); i++) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, i * chunkSize, Math.min(bytes.length, (i + 1) * chunkSize));
            given().auth().oauth2(alice.accessToken()).contentType("application/octet-stream").body(chunk)
                    .put(url("/api/uploads/" + session.getString("uploadId") + "/chunks/" + i)).then().statusCode(200);
        }
        given().auth().oauth2(alice.accessToken()).post(url("/api/uploads/" + session.getString("uploadId") + "/complete"))
                .then().statusCode(202).body("videoId", org.hamcrest.Matchers.equalTo(media.toString()));

        // the switch: same video, new media
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath now = Videos.get(alice, video);
            assertThat(now.getString("replace")).isNull();
            assertThat(now.getInt("height")).isEqualTo(360);
        });
        JsonPath switched = Videos.get(alice, video);
        assertThat(switched.getString("title")).isEqualTo("Replace " + word);
        assertThat(switched.getString("status")).isEqualTo("READY");
        assertThat(switched.getDouble("durationSeconds")).isCloseTo(3.0, within(0.2));
        given().auth().oauth2(alice.accessToken()).get(url("/api/videos?scope=mine")).then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(media.toString())));

        // the share link still works and plays the new file (a real player: ffprobe over HTTP)
        JsonPath shared = given().get(url("/api/share/" + token)).then().statusCode(200).extract().jsonPath();
        assertThat(shared.getInt("height")).isEqualTo(360);
        String newMasterUrl = shared.getString("hlsUrl");
        assertThat(newMasterUrl).endsWith("/api/share/" + token + "/hls/r/" + media + "/master.m3u8");
        assertThat(Media.duration(newMasterUrl, null)).isCloseTo(3.0, within(0.3));
        assertThat(Media.streams(url("/api/share/" + token + "/stream"), null)).contains("640,360");
        // the player holding the old master goes on with old files only, during the grace period
        assertThat(given().get(oldBase + rendition).then().statusCode(200).extract().asString()).isEqualTo(oldPlaylist);
        assertThat(given().get(oldSegment).then().statusCode(200).extract().asByteArray()).isEqualTo(oldSegmentBytes);

        // quota: the new size instead of the old one; one entry, the video's
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath quota = given().auth().oauth2(alice.accessToken()).get(url("/api/quota/me")).jsonPath();
            assertThat(quota.getLong("storage.usedBytes"))
                    .isEqualTo(usedBefore - java.nio.file.Files.size(first) + bytes.length);
            assertThat(quota.getList("files.videoId")).contains(video.toString()).doesNotContain(media.toString());
            assertThat(quota.getLong("files.find { it.videoId == '" + video + "' }.sizeBytes")).isEqualTo(bytes.length);
        });
        assertThat(Media.sha256(Blobs.file("originals/" + media + "/source"))).isEqualTo(Media.sha256(second));

        // after the grace period (the stack sets it short) the old media is gone and its URLs are 404
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(Blobs.files("videos/" + video)).isEmpty();
            assertThat(Blobs.files("originals/" + video)).isEmpty();
        });
        given().get(oldBase + rendition).then().statusCode(404);
        given().get(newMasterUrl).then().statusCode(200);

        // deleting the video takes the new media with it
        given().auth().oauth2(alice.accessToken()).delete(url("/api/videos/" + video)).then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Blobs.files("videos/" + media)).isEmpty());
    }
}
