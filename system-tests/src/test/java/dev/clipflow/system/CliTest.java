package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.testinfra.servers.RepoRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The command-line client (cli/, {@code clipflow-cli.jar}) run as a real process against the stack:
 * log in, upload with a rate limit, {@code kill -9} the client mid-upload, run it again (it resumes:
 * only the missing chunks are sent, the stored original has the file's sha256), watch it READY, list,
 * share, download and delete; the exit codes and problem details scripts rely on.
 */
@Tag("journey")
@ExtendWith(Stack.class)
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = RepoRoot.find().resolve("cli/target/clipflow-cli.jar");

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + "\n" + err, e);
            }
        }
    }

    @Test
    void uploadSurvivesKill9OfTheClientAndTheVideoCanBeWatchedSharedDownloadedDeleted(@TempDir Path dir) throws Exception {
        Users.User dana = Users.signUp("Dana");
        Path home = Files.createDirectories(dir.resolve("cli-home"));
        Run login = cli(home, dana.password() + "\n", "login", "--email", dana.email(), "--password-stdin");
        assertThat(login.exit()).as(login.err()).isZero();

        String word = Videos.unique();
        Path clip = Media.clip(dir, word + ".mp4", 640, 360, 6.0);
        long size = Files.size(clip);
        int chunk = 64 * 1024;
        int chunks = (int) ((size + chunk - 1) / chunk);
        assertThat(chunks).as("the clip must span several chunks").isGreaterThanOrEqualTo(6);

        // first run: slowed down to ~10 s, killed with SIGKILL once a few chunks are on the server
        Process first = start(home, "upload", clip.toString(), "--chunk-size", "64k", "--parallel", "2",
                "--limit-rate", String.valueOf(Math.max(chunk, size / 10)), "--title", "Cli " + word, "--json");
        String uploadId = awaitUploadId(home, first);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                uploadedChunks(dana, uploadId) >= 2);
        assertThat(first.isAlive()).as("the first run must still be uploading when it is killed").isTrue();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        first.waitFor(30, TimeUnit.SECONDS);
        int before = uploadedChunks(dana, uploadId);
        assertThat(before).isLessThan(chunks);

        // second run of the same command: resumes the same session, sends only what is missing
        Run second = cli(home, null, "upload", clip.toString(), "--chunk-size", "64k", "--json");
        assertThat(second.exit()).as(second.err()).isZero();
        JsonNode result = second.json().get(0);
        assertThat(result.path("uploadId").asText()).isEqualTo(uploadId);
        assertThat(result.path("resumed").asBoolean()).isTrue();
        assertThat(result.path("bytesSent").asLong()).isLessThan(size).isGreaterThan(0);
        String videoId = result.path("videoId").asText();
        assertThat(Media.sha256(Stack.get().home().resolve("blobs/originals/" + videoId + "/source")))
                .isEqualTo(Media.sha256(clip));
        assertThat(Files.readString(home.resolve("uploads.json"))).doesNotContain(uploadId);

        // watch until READY
        Run watch = cli(home, null, "watch", videoId, "--interval", "500");
        assertThat(watch.exit()).as(watch.err()).isZero();
        assertThat(watch.out().strip()).endsWith("READY");

        // ls shows it, as a table and as JSON
        Run ls = cli(home, null, "ls", "-q", word);
        assertThat(ls.out()).contains(videoId).contains("READY").contains("Cli " + word);
        JsonNode page = cli(home, null, "ls", "--json").json();
        assertThat(page.path("items").findValuesAsText("id")).contains(videoId);

        // share for an hour: the link works without an account
        Run share = cli(home, null, "share", videoId, "--expires", "1h", "--json");
        assertThat(share.exit()).as(share.err()).isZero();
        JsonNode link = share.json();
        assertThat(Instant.parse(link.path("expiresAt").asText()))
                .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        given().get(url("/api/share/" + link.path("token").asText())).then().statusCode(200);

        // download: a playable MP4 of the clip's length
        Path copy = dir.resolve("copy.mp4");
        Run download = cli(home, null, "download", videoId, "-o", copy.toString());
        assertThat(download.exit()).as(download.err()).isZero();
        assertThat(Media.duration(copy.toString(), null)).isCloseTo(6.0, within(0.3));

        // rm, then rm again: gone, exit 4 with the problem's detail
        assertThat(cli(home, null, "rm", videoId).exit()).isZero();
        given().auth().oauth2(dana.accessToken()).get(url("/api/videos/" + videoId)).then().statusCode(404);
        Run again = cli(home, null, "rm", videoId);
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains(videoId).doesNotContain("Exception");
    }

    @Test
    void exitCodesAndProblemDetails(@TempDir Path dir) throws Exception {
        Users.User erin = Users.signUp("Erin");
        Path home = Files.createDirectories(dir.resolve("cli-home"));

        Run notLoggedIn = cli(home, null, "ls");
        assertThat(notLoggedIn.exit()).isEqualTo(3);
        assertThat(notLoggedIn.err()).contains("Not logged in");

        Run wrongPassword = cli(home, "not-her-password\n", "login", "--email", erin.email(), "--password-stdin");
        assertThat(wrongPassword.exit()).isEqualTo(3);
        assertThat(wrongPassword.err()).startsWith("clipflow-cli: ").doesNotContain("Exception");

        assertThat(cli(home, erin.password() + "\n", "login", "--email", erin.email(), "--password-stdin").exit()).isZero();
        String nobody = UUID.randomUUID().toString();
        Run missing = cli(home, null, "download", nobody);
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err()).startsWith("clipflow-cli: ").contains(nobody);

        Run badExpiry = cli(home, null, "share", UUID.randomUUID().toString(), "--expires", "soon");
        assertThat(badExpiry.exit()).isEqualTo(2);

        // a file that is not a video: the upload is accepted, processing fails, --wait exits 8 with the reason
        Path text = Files.writeString(dir.resolve(Videos.unique() + ".mp4"), "not a video at all\n".repeat(100));
        Run notVideo = cli(home, null, "upload", text.toString(), "--wait");
        assertThat(notVideo.exit()).as(notVideo.out() + notVideo.err()).isIn(6, 8);
        assertThat(notVideo.err()).isNotBlank().doesNotContain("Exception");

        Run unknown = cli(home, null, "fly");
        assertThat(unknown.exit()).isEqualTo(2);
    }

    /** {@code upload FILE...}: several files in one command, each with its progress bar (rate and ETA), all READY. */
    @Test
    void severalFilesInOneUploadWithAProgressBar(@TempDir Path dir) throws Exception {
        Users.User fay = Users.signUp("Fay");
        Path home = Files.createDirectories(dir.resolve("cli-home"));
        assertThat(cli(home, fay.password() + "\n", "login", "--email", fay.email(), "--password-stdin").exit()).isZero();
        String word = "m" + Videos.unique().replaceAll("[^a-z0-9]", "");
        Path first = Media.clip(dir, "One " + word + ".mp4", 320, 240, 2.0);
        Path second = Media.clip(dir, "Two " + word + ".mp4", 320, 240, 2.0);
        Run upload = cli(home, null, "upload", first.toString(), second.toString(), "--progress", "--wait");
        assertThat(upload.exit()).as(upload.err()).isZero();
        // the bar of each file, drawn on standard error: percent, rate and ETA
        assertThat(upload.err()).contains("One " + word).contains("Two " + word).contains("100%").contains("/s").contains("ETA");
        JsonNode page = cli(home, null, "ls", "--json").json();
        assertThat(page.findValuesAsText("title")).contains("One " + word, "Two " + word);
        assertThat(page.findValuesAsText("status")).containsOnly("READY");
    }

    private static String awaitUploadId(Path home, Process process) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the client ended early: "
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Path state = home.resolve("uploads.json");
            if (!Files.exists(state)) {
                return false;
            }
            try {
                JsonNode uploads = JSON.readTree(state.toFile()).path("uploads");
                if (uploads.size() == 1) {
                    id[0] = uploads.elements().next().path("uploadId").asText();
                    return true;
                }
            } catch (IOException partial) {
                // written atomically, but be patient anyway
            }
            return false;
        });
        return id[0];
    }

    private static int uploadedChunks(Users.User user, String uploadId) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/uploads/" + uploadId))
                .then().statusCode(200).extract().jsonPath().getInt("uploadedChunks");
    }

    private static List<String> command(Path home, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "--server", Stack.get().gateway()));
        command.addAll(List.of(args));
        return command;
    }

    private static Process start(Path home, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(home, args));
        builder.environment().put("CLIPFLOW_CLI_HOME", home.toString());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static Run cli(Path home, String stdin, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(home, args));
        builder.environment().put("CLIPFLOW_CLI_HOME", home.toString());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("clipflow-cli " + String.join(" ", args) + " timed out: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
