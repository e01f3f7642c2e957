package dev.clipflow.upload.tus;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.Events;
import dev.clipflow.upload.support.QuotaStub;
import dev.clipflow.upload.support.Videos;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.upload.support.QuotaStubResource.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** tus 1.0.0 at /api/tus/: the stock tus-js-client end to end, and each extension by hand. */
@QuarkusTest
class TusTest {

    @TestHTTPResource("/api/tus/")
    URL endpoint;

    @Inject
    BlobStore store;

    @Test
    void optionsAdvertisesVersionAndExtensions() {
        io.restassured.RestAssured.given().options("/api/tus/").then().statusCode(204)
                .header("Tus-Resumable", "1.0.0")
                .header("Tus-Version", "1.0.0")
                .header("Tus-Extension", "creation,creation-with-upload,termination,checksum,expiration,concatenation")
                .header("Tus-Checksum-Algorithm", containsString("sha1"))
                .header("Tus-Max-Size", notNullValue());
    }

    @Test
    void stockTusJsClientUploadsAVideo() throws Exception {
        Path client = tusClient();
        Api api = Api.newUser();
        Path file = Videos.mp4();
        Process node = new ProcessBuilder("node", client.resolve("upload.js").toString(), endpoint.toString(), api.token,
                file.toString(), "5000", "tus-client.mp4").redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("PROGRESS").contains("URL ");
        String url = output.lines().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4).trim();
        UUID uploadId = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));

        Response status = api.status(uploadId);
        status.then().statusCode(200).body("state", equalTo("COMPLETED")).body("protocol", equalTo("TUS"))
                .body("bytesReceived", equalTo((int) Files.size(file)));
        UUID videoId = UUID.fromString(status.path("videoId"));
        try (InputStream in = store.open(BlobKeys.original(videoId), 0, Files.size(file))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
        }
        var events = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("fileName").asText()).isEqualTo("tus-client.mp4");
            assertThat(e.path("data").path("title").asText()).isEqualTo("Sent with tus-js-client");
            assertThat(e.path("data").path("category").asText()).isEqualTo("tests");
        });
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.COMMITTED);
    }

    @Test
    void stockTusJsClientWithParallelUploadsConcatenatesPartialUploads() throws Exception {
        Path client = tusClient();
        Api api = Api.newUser();
        Path file = Videos.mp4();
        byte[] data = Files.readAllBytes(file);
        Process node = new ProcessBuilder("node", client.resolve("upload.js").toString(), endpoint.toString(), api.token,
                file.toString(), "100000000", "parallel.mp4", "4").redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        String url = output.lines().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4).trim();
        UUID uploadId = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));

        Response head = api.req().header("Tus-Resumable", "1.0.0").head("/api/tus/" + uploadId);
        head.then().statusCode(200).header("Upload-Offset", String.valueOf(data.length))
                .header("Upload-Concat", org.hamcrest.Matchers.startsWith("final;/api/tus/"));
        List<UUID> parts = Arrays.stream(head.header("Upload-Concat").substring("final;".length()).split(" "))
                .map(u -> UUID.fromString(u.substring(u.lastIndexOf('/') + 1))).toList();
        assertThat(parts).hasSize(4);
        Response status = api.status(uploadId);
        status.then().statusCode(200).body("state", equalTo("COMPLETED")).body("bytesReceived", equalTo(data.length));
        UUID videoId = UUID.fromString(status.path("videoId"));
        try (InputStream in = store.open(BlobKeys.original(videoId), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        var events = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("fileName").asText()).isEqualTo("parallel.mp4");
            assertThat(e.path("data").path("sha256").asText()).isEqualTo(Api.sha256Hex(data));
            assertThat(e.path("data").path("sizeBytes").asLong()).isEqualTo(data.length);
        });
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.COMMITTED);
        assertThat(parts).allSatisfy(part -> assertThat(quota().state(part)).isEqualTo(QuotaStub.State.RELEASED));
    }

    private static Response partial(Api api, byte[] data) {
        Response created = api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", data.length)
                .header("Upload-Concat", "partial").post("/api/tus/");
        created.then().statusCode(201);
        return created;
    }

    private static Response concat(Api api, String fileName, String... locations) {
        return api.req().header("Tus-Resumable", "1.0.0").header("Upload-Metadata", Api.tusMetadata(fileName))
                .header("Upload-Concat", "final;" + String.join(" ", locations)).post("/api/tus/");
    }

    @Test
    void concatenationRulesAndBadFinalUploads() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        int cut = data.length / 3;
        String first = partial(api, Arrays.copyOfRange(data, 0, cut)).header("Location");
        String second = partial(api, Arrays.copyOfRange(data, cut, data.length)).header("Location");
        api.tusPatch(first, 0, Arrays.copyOfRange(data, 0, cut), null).then().statusCode(204)
                .header("Upload-Offset", String.valueOf(cut));
        api.req().header("Tus-Resumable", "1.0.0").head(first).then().statusCode(200)
                .header("Upload-Concat", "partial").header("Upload-Offset", String.valueOf(cut));
        assertThat(api.status(id(first)).<String>path("state")).isEqualTo("UPLOADING"); // a partial never completes alone

        concat(api, "v.mp4", first, second).then().statusCode(409).body("code", equalTo("tus.concat_part_unfinished"));
        api.tusPatch(second, 0, Arrays.copyOfRange(data, cut, data.length), null).then().statusCode(204);
        String plain = api.tusCreate(10, "plain.mp4").header("Location");
        String foreign = partial(Api.newUser(), new byte[10]).header("Location");
        concat(api, "v.mp4", first, plain).then().statusCode(400).body("code", equalTo("tus.concat_not_partial"));
        concat(api, "v.mp4", first, foreign).then().statusCode(400).body("code", equalTo("tus.concat_unknown_part"));
        concat(api, "v.mp4", first, "/api/tus/" + UUID.randomUUID()).then().statusCode(400)
                .body("code", equalTo("tus.concat_unknown_part"));
        concat(api, "v.mp4", first, first).then().statusCode(409).body("code", equalTo("tus.concat_part_used"));
        concat(api, "v.mp4", first, "not a url").then().statusCode(400).body("code", equalTo("tus.invalid_header"))
                .contentType(containsString("application/problem+json"));
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Concat", "complete;" + first).post("/api/tus/")
                .then().statusCode(400).body("code", equalTo("tus.invalid_header"));
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", data.length)
                .header("Upload-Metadata", Api.tusMetadata("v.mp4")).header("Upload-Concat", "final;" + first + " " + second)
                .post("/api/tus/").then().statusCode(400).body("code", equalTo("tus.invalid_header"));

        // nothing was lost: the refused finals took nothing, so the partials make the video now
        Response done = concat(api, "v.mp4", first, second);
        done.then().statusCode(201).header("Upload-Offset", String.valueOf(data.length));
        String location = done.header("Location");
        api.req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(200)
                .header("Upload-Length", String.valueOf(data.length))
                .header("Upload-Concat", "final;" + first + " " + second);
        api.tusPatch(location, data.length, new byte[1], null).then().statusCode(403).body("code", equalTo("tus.concat_final"));
        concat(api, "again.mp4", first).then().statusCode(409).body("code", equalTo("tus.concat_part_used"));
        UUID videoId = UUID.fromString(api.status(id(location)).path("videoId"));
        var events = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(events).singleElement().satisfies(e ->
                assertThat(e.path("data").path("sha256").asText()).isEqualTo(Api.sha256Hex(data)));
    }

    private static UUID id(String location) {
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void coreCreationHeadPatchWithChecksumsAndCompletion() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        Response created = api.tusCreate(data.length, "by-hand.mp4");
        created.then().statusCode(201).header("Tus-Resumable", "1.0.0").header("Upload-Expires", notNullValue());
        String location = created.header("Location");
        assertThat(location).startsWith("/api/tus/");

        api.req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(200)
                .header("Upload-Offset", "0").header("Upload-Length", String.valueOf(data.length))
                .header("Cache-Control", "no-store").header("Upload-Metadata", containsString("filename "));

        byte[] first = Arrays.copyOfRange(data, 0, 3000);
        String wrongSha1 = "sha1 " + Base64.getEncoder().encodeToString(Api.digest("SHA-1", new byte[] {1}));
        api.tusPatch(location, 0, first, wrongSha1).then().statusCode(460).body("code", equalTo("upload.checksum_mismatch"));
        api.tusPatch(location, 0, first, "crc99 AAAA").then().statusCode(400);
        api.req().header("Tus-Resumable", "1.0.0").head(location).then().header("Upload-Offset", "0");

        String sha1 = "sha1 " + Base64.getEncoder().encodeToString(Api.digest("SHA-1", first));
        api.tusPatch(location, 0, first, sha1).then().statusCode(204).header("Upload-Offset", "3000");
        api.tusPatch(location, 0, first, null).then().statusCode(409).body("code", equalTo("tus.offset_mismatch"));
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Offset", 3000).contentType("application/json")
                .body("{}").patch(location).then().statusCode(415);
        api.tusPatch(location, 3000, Arrays.copyOfRange(data, 3000, data.length), null).then().statusCode(204)
                .header("Upload-Offset", String.valueOf(data.length));

        UUID uploadId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        api.status(uploadId).then().body("state", equalTo("COMPLETED"));
    }

    /**
     * The body of a PATCH is received while its segment is claimed, but a client that asked to wait
     * ({@code Expect: 100-continue}) is told the answer first when the PATCH is turned down (it sends no body for
     * nothing), and told to go on when it is not.
     */
    @Test
    void aPatchExpectingContinueIsTurnedDownBeforeItsBodyIsSent() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        String location = api.tusCreate(data.length, "expect.mp4").then().statusCode(201).extract().header("Location");
        try (java.net.Socket socket = patchExpectingContinue(api, location, 1000, data.length)) {
            assertThat(statusLine(socket)).as("a PATCH at the wrong offset").contains(" 409 ");
        }
        try (java.net.Socket socket = patchExpectingContinue(api, location, 0, data.length)) {
            assertThat(statusLine(socket)).as("a PATCH at the upload's offset").contains(" 100 ");
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
            String line;
            while ((line = statusLine(socket)).isEmpty()) {
                // the blank line after 100 Continue
            }
            assertThat(line).contains(" 204 ");
        }
        api.req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(200)
                .header("Upload-Offset", String.valueOf(data.length));
    }

    /** A PATCH's headers with {@code Expect: 100-continue} on a raw connection, without its body. */
    private static java.net.Socket patchExpectingContinue(Api api, String location, long offset, long length)
            throws IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + api.token + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + length
                + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The next line the server sent on a raw connection (byte by byte: nothing after it is consumed). */
    private static String statusLine(java.net.Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = socket.getInputStream().read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void creationWithUploadAndTermination() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        byte[] first = Arrays.copyOfRange(data, 0, 1000);
        Response created = api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", data.length)
                .header("Upload-Metadata", Api.tusMetadata("terminated.mp4"))
                .contentType("application/offset+octet-stream").body(first).post("/api/tus/");
        created.then().statusCode(201).header("Upload-Offset", "1000");
        String location = created.header("Location");
        UUID uploadId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));

        api.req().header("Tus-Resumable", "1.0.0").delete(location).then().statusCode(204);
        api.req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(410);
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.RELEASED);
        api.tusCreate(data.length, "terminated.mp4").then().statusCode(201);
    }

    @Test
    void protocolErrors() {
        Api api = Api.newUser();
        api.req().header("Upload-Length", 10).header("Upload-Metadata", Api.tusMetadata("v.mp4")).post("/api/tus/")
                .then().statusCode(412).header("Tus-Version", "1.0.0");
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Metadata", Api.tusMetadata("v.mp4")).post("/api/tus/")
                .then().statusCode(400);
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", 10).post("/api/tus/")
                .then().statusCode(400).body("code", equalTo("upload.invalid_file_name"));
        String location = api.tusCreate(10, "short.mp4").header("Location");
        api.tusPatch(location, 0, new byte[11], null).then().statusCode(413);
        Api.newUser().req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(404);
        io.restassured.RestAssured.given().header("Tus-Resumable", "1.0.0").header("Upload-Length", 10)
                .post("/api/tus/").then().statusCode(401);
    }

    /** tus-js-client from npm, installed once under target/ (no global install). */
    static synchronized Path tusClient() throws IOException, InterruptedException {
        Path dir = Path.of("target", "tus-client").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/tus-js-client"))) {
            Files.createDirectories(dir);
            Process npm = new ProcessBuilder(List.of("npm", "install", "--prefix", dir.toString(), "--no-audit",
                    "--no-fund", "--no-save", "tus-js-client@4.3.1")).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install tus-js-client failed: " + output);
            }
        }
        try (InputStream script = TusTest.class.getResourceAsStream("/tus/upload.js")) {
            Files.write(dir.resolve("upload.js"), script.readAllBytes());
        }
        return dir;
    }
}
