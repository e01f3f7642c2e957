package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.testinfra.servers.RepoRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The web console in a real browser: {@code console/e2e/journey.mjs} drives Debian's Chromium
 * (headless, playwright-core) through the gateway's {@code /}: register, activate from the e-mail, log
 * in, register a webhook endpoint (a receiver of the journey on loopback; the secret shown once) and turn quota
 * alert mail off, upload a large file and reload the page mid-upload (adding the file again continues the same tus
 * upload at the server's offset), drop two real clips onto the page at once (Uppy, tus, a progress bar each), watch one become READY with its thumbnail
 * (the receiver got {@code video.ready} signed with that secret; the delivery log shows it; "Redeliver" sends it
 * again with the same webhook-id), play it with hls.js
 * (the {@code <video>}'s currentTime advances), share it and play the link in a fresh browser context,
 * switch quality on a 720p video, trim, search, merge; the admin lowers the user's storage limit (the
 * user's quota bar shows the alert), finds the video on the "All videos" page and deletes the user. Screenshots of each page land in {@code target/console-screenshots}
 * ({@code -Dclipflow.console.screenshots=docs/console} refreshes the ones in the docs).
 */
@Tag("journey")
@ExtendWith(Stack.class)
class ConsoleTest {

    private static final Path CONSOLE = RepoRoot.find().resolve("console");

    @Test
    void theGatewayServesTheConsoleAndKeepsProblemsForUnknownApiPaths() {
        given().get(url("/")).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("id=\"app\""));
        given().get(url("/api/nothing")).then().statusCode(404).contentType("application/problem+json");
    }

    /**
     * The console uses only the public API: every API path its code names (api(...), fetch(...), the tus endpoint,
     * media URLs) is a documented operation's prefix, none is internal or a management path (the rest are hash routes).
     */
    @Test
    void theConsoleCallsOnlyThePublicApi() throws Exception {
        java.util.regex.Pattern call = java.util.regex.Pattern.compile("['`](/[a-z][^'`$?]*)");
        java.util.Set<String> paths = new java.util.TreeSet<>();
        try (var files = Files.walk(CONSOLE.resolve("src"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ts")).toList()) {
                var m = call.matcher(Files.readString(file));
                while (m.find()) {
                    paths.add(m.group(1));
                }
            }
        }
        assertThat(paths).as("paths in console/src").anyMatch(path -> path.startsWith("/api/"))
                .noneMatch(path -> path.startsWith("/internal") || path.startsWith("/q/"));
        String document = given().get(url("/api/openapi.json")).then().statusCode(200).extract().asString();
        for (String path : paths.stream().filter(path -> path.startsWith("/api/")).toList()) {
            String prefix = path.replaceAll("/$", "").replaceAll("^(/api/[a-z-]+(/[a-z-]+)?).*", "$1");
            assertThat(document).as(path + " is a documented operation's path").contains("\"" + prefix);
        }
    }

    @Test
    void uploadPlayShareAndAdminDeleteInTheBrowser(@TempDir Path dir) throws Exception {
        assertThat(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .as("Debian's chromium (./clipflow test installs it as root)").isExecutable();
        assertThat(CONSOLE.resolve("node_modules/playwright-core")).as("console/node_modules: ./mvnw package -pl console")
                .isDirectory();
        Path clip = Media.clip(dir, "Sunset " + Videos.unique() + ".mp4", 854, 480, 4.0);
        Path second = Media.clip(dir, "Dusk " + Videos.unique() + ".mp4", 640, 360, 2.0);
        // over one tus chunk (4 MiB) for the reload step: lossless 720p, no audio, ~7 MB in a second
        Path large = dir.resolve("Large " + Videos.unique() + ".mp4");
        Media.run(List.of(Media.ffmpeg(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", large.toString()));
        assertThat(Files.size(large)).isGreaterThan(4L << 20);
        Path shots = Path.of(System.getProperty("clipflow.console.screenshots",
                RepoRoot.find().resolve("system-tests/target/console-screenshots").toString())).toAbsolutePath();
        Path out = dir.resolve("journey.out");
        Path err = dir.resolve("journey.err");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "e2e/journey.mjs")).directory(CONSOLE.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("BASE_URL", Stack.get().gateway());
        builder.environment().put("MAIL_API", Stack.get().mailApi());
        builder.environment().put("VIDEO", clip.toString());
        builder.environment().put("VIDEO_LARGE", large.toString());
        builder.environment().put("VIDEO_SECOND", second.toString());
        builder.environment().put("ADMIN_EMAIL", Users.ADMIN_EMAIL);
        builder.environment().put("ADMIN_PASSWORD", Users.ADMIN_PASSWORD);
        builder.environment().put("SCREENSHOTS", shots.toString());
        Process node = builder.start();
        if (!node.waitFor(10, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the browser journey timed out:\n" + Files.readString(err));
        }
        assertThat(node.exitValue()).as(Files.readString(err)).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(out));

        // after the reload the same tus upload continued where the server was (HEAD, then PATCH at that offset)
        JsonNode resume = result.path("resume");
        assertThat(resume.path("offsetBefore").asLong()).isEqualTo(4L << 20);
        assertThat(resume.path("after").findValuesAsText("method")).startsWith("HEAD", "PATCH").doesNotContain("POST");
        // two files dropped onto the page at once: one progress item and one finished upload each
        assertThat(result.path("droppedFiles")).hasSize(2);
        assertThat(result.path("uploadsDone").toString()).contains(clip.getFileName().toString())
                .contains(second.getFileName().toString());
        assertThat(result.path("thumbnail").asBoolean()).isTrue();
        assertThat(result.path("playedTo").asDouble()).isGreaterThan(1.0);
        assertThat(result.path("playbackMode").asText()).startsWith("HLS");
        assertThat(result.path("qualities").toString()).contains("Auto").contains("480p").contains("MP4");
        assertThat(result.path("sharedPlayedTo").asDouble()).isGreaterThan(0.5);
        assertThat(result.path("sharedTitle").asText()).isEqualTo(clip.getFileName().toString().replace(".mp4", ""));
        // quality switch on the 720p video: hls.js loads the chosen level
        assertThat(result.path("switched").path("levels").toString()).contains("480p").contains("720p");
        assertThat(result.path("switched").path("height").asInt()).isEqualTo(720);
        assertThat(result.path("switched").path("mode").asText()).isEqualTo("HLS 720p");
        // MP4 from the same menu (the fallback where HLS cannot play) plays too
        assertThat(result.path("switched").path("mp4PlayedTo").asDouble()).isGreaterThan(0.5);
        // trim 0.5-2.5 s, search finds the cut, merge of two READY videos turns READY
        assertThat(result.path("trimmedDuration").asDouble()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(0.2));
        assertThat(result.path("searchFound").asText()).startsWith("Cut ");
        assertThat(result.path("mergedTitle").asText()).startsWith("Both ");
        // the endpoint registered in the Webhooks page received video.ready, signed with the secret shown once;
        // its delivery log showed it and "Redeliver" sent it again with the same webhook-id
        assertThat(result.path("webhookSignatureValid").asBoolean()).isTrue();
        assertThat(result.path("webhookRedelivered").asBoolean()).isTrue();
        // the account page turned quota alert e-mails off, and a reload shows it so
        assertThat(result.path("alertMail").asBoolean(true)).isFalse();
        // the admin lowered the storage limit in the users page: the user's quota bar raises the alert
        assertThat(result.path("quotaAlert").asText()).contains("storage almost full");
        // the admin's "All videos" page finds the user's video
        assertThat(result.path("adminVideosFound").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("adminVideosOwners")).as("the search's answer: only the user's videos").hasSize(1);

        // what the admin did in the browser happened: the user and their video are gone
        Users.User admin = Users.admin();
        String email = result.path("email").asText();
        assertThat(given().auth().oauth2(admin.accessToken()).queryParam("q", email).get(url("/api/admin/users"))
                .then().statusCode(200).extract().jsonPath().getList("items")).isEmpty();
        String title = result.path("sharedTitle").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(given().auth().oauth2(admin.accessToken()).queryParam("q", title).get(url("/api/admin/videos"))
                        .then().statusCode(200).extract().jsonPath().getList("items.id"))
                        .doesNotContain(result.path("videoId").asText()));
        for (String page : List.of("login", "library", "upload-done", "player", "share", "shared", "merged", "quota-alert",
                "admin-users", "admin-videos", "admin-jobs", "webhooks", "webhook-deliveries")) {
            assertThat(shots.resolve(page + ".png")).isNotEmptyFile();
        }
    }

    /**
     * hls.js (the console's copy) in Chromium on a READY video of the real stack with a caption: the master it loads
     * lists the subtitle track (catalog's subtitles group) and the audio-only variant (CODECS mp4a.40.2 alone, no
     * RESOLUTION, the lowest BANDWIDTH); the video plays and the caption's cue reaches the browser; the audio-only
     * variant plays on its own. hls.js keeps audio-only variants out of its adaptive levels when the master has video
     * variants (hls.js 1.7 {@code LevelController.filterAndSortMediaOptions}): players that fall back to it are
     * others (AVPlayer, ExoPlayer); this checks what hls.js parses and that the variant plays.
     */
    @Test
    void hlsJsListsTheSubtitleTrackAndTheAudioOnlyVariant(@TempDir Path dir) throws Exception {
        Users.User user = Users.signUp("Listener");
        Path clip = Media.clip(dir, "Tracks " + Videos.unique() + ".mp4", 320, 240, 3.0);
        java.util.UUID video = Videos.uploadChunked(user, clip, "Tracks", "music");
        assertThat(Videos.awaitReady(user, video).getString("audioUrl")).endsWith("/api/videos/" + video + "/audio.m4a");
        given().auth().oauth2(user.accessToken()).contentType("text/vtt")
                .body("WEBVTT\n\n00:00.000 --> 00:02.500\nHello from the captions\n")
                .put(url("/api/videos/" + video + "/captions/en")).then().statusCode(201);
        // the audio-only download through the gateway: AAC alone
        assertThat(Media.streams(url("/api/videos/" + video + "/audio.m4a"),
                "Authorization: Bearer " + user.accessToken() + "\r\n")).contains("audio").doesNotContain("video");

        Path out = dir.resolve("tracks.out");
        Path err = dir.resolve("tracks.err");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "e2e/hls-tracks.mjs")).directory(CONSOLE.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("BASE_URL", Stack.get().gateway());
        builder.environment().put("TOKEN", user.accessToken());
        builder.environment().put("VIDEO_ID", video.toString());
        Process node = builder.start();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the hls.js check timed out:\n" + Files.readString(err));
        }
        assertThat(node.exitValue()).as(Files.readString(err)).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(out));

        JsonNode variants = result.path("variants");
        JsonNode audioOnly = null;
        for (JsonNode variant : variants) {
            if ("mp4a.40.2".equals(variant.path("codecs").asText())) {
                audioOnly = variant;
            }
        }
        assertThat(audioOnly).as("an audio-only variant in %s", variants).isNotNull();
        assertThat(audioOnly.path("uri").asText()).isEqualTo("audio/index.m3u8");
        assertThat(audioOnly.path("resolution").isNull()).isTrue();
        assertThat(audioOnly.path("videoCodec").isNull()).isTrue();
        assertThat(audioOnly.path("audioCodec").asText()).isEqualTo("mp4a.40.2");
        for (JsonNode variant : variants) {
            if (variant != audioOnly) {
                assertThat(variant.path("resolution").asText()).isNotEmpty();
                assertThat(variant.path("bandwidth").asLong()).isGreaterThan(audioOnly.path("bandwidth").asLong());
            }
        }
        assertThat(result.path("levels").findValuesAsText("uri")).isNotEmpty().contains("240p/index.m3u8");
        assertThat(result.path("subtitles")).hasSize(1);
        assertThat(result.path("subtitles").get(0).path("lang").asText()).isEqualTo("en");
        assertThat(result.path("cues").toString()).contains("Hello from the captions");
        assertThat(result.path("playedTo").asDouble()).isGreaterThan(0.5);
        assertThat(result.path("audioPlayedTo").asDouble()).isGreaterThan(0.5);
    }
}
