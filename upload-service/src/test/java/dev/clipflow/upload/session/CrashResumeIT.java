package dev.clipflow.upload.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Postgres;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.ServiceHarness;
import dev.clipflow.upload.support.Videos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk or tus segment whose writer died can be sent again at once: the packaged service is
 * killed with SIGKILL while a chunk's body is half received, a fresh process starts, and the same
 * chunk sent again right away is taken (not "in progress" until a timeout). A chunk held by a live
 * writer answers 409 with Retry-After, and is free again once that writer's client hangs up.
 */
class CrashResumeIT {

    static final int CHUNK = 8 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static ServiceHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new ServiceHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aChunkInFlightWhenTheServiceIsKilledCanBeSentAgainAtOnce() throws Exception {
        PackagedService first = harness.start(List.of("-Xmx256m"));
        String token = harness.jwt.user(UUID.randomUUID());
        byte[] data = Videos.mp4Bytes();
        int total = (data.length + CHUNK - 1) / CHUNK;
        assertThat(total).isGreaterThan(1);
        HttpResponse<String> created = send(first.baseUrl(), token, "POST", "/api/uploads", Map.of(
                "Content-Type", "application/json"), JSON.writeValueAsBytes(Map.of("fileName", "crash.mp4",
                "size", data.length, "chunkSize", CHUNK, "contentType", "video/mp4")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("uploadId").asText();

        // chunk 1 in flight: headers and half of its body sent, the service writing it
        byte[] chunk1 = Api.chunk(data, CHUNK, 1);
        try (Socket inFlight = halfSent(first, "PUT", "/api/uploads/" + id + "/chunks/1", token,
                Map.of("Content-Type", "application/octet-stream"), chunk1)) {
            awaitWriting(id, 1);
            first.kill();
        }

        PackagedService second = harness.start(List.of("-Xmx256m"));
        for (int i = 0; i < total; i++) {
            HttpResponse<String> put = send(second.baseUrl(), token, "PUT", "/api/uploads/" + id + "/chunks/" + i,
                    Map.of("Content-Type", "application/octet-stream"), Api.chunk(data, CHUNK, i));
            assertThat(put.statusCode()).as("chunk %d: %s", i, put.body()).isEqualTo(200);
        }
        HttpResponse<String> completed = send(second.baseUrl(), token, "POST", "/api/uploads/" + id + "/complete",
                Map.of(), new byte[0]);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(202);
        String videoId = JSON.readTree(completed.body()).get("videoId").asText();
        assertThat(Files.readAllBytes(harness.blobs().resolve(BlobKeys.original(UUID.fromString(videoId)))))
                .isEqualTo(data);
    }

    @Test
    void aTusSegmentInFlightWhenTheServiceIsKilledCanBeSentAgainAtOnce() throws Exception {
        PackagedService first = harness.start(List.of("-Xmx256m"));
        String token = harness.jwt.user(UUID.randomUUID());
        byte[] data = Videos.mp4Bytes();
        String metadata = "filename " + Base64.getEncoder().encodeToString("crash-tus.mp4".getBytes(StandardCharsets.UTF_8))
                + ",filetype " + Base64.getEncoder().encodeToString("video/mp4".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = send(first.baseUrl(), token, "POST", "/api/tus/", Map.of("Tus-Resumable",
                "1.0.0", "Upload-Length", String.valueOf(data.length), "Upload-Metadata", metadata), new byte[0]);
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);

        try (Socket inFlight = halfSent(first, "PATCH", location, token, Map.of("Tus-Resumable", "1.0.0",
                "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream"), data)) {
            awaitWriting(id, 0);
            first.kill();
        }

        PackagedService second = harness.start(List.of("-Xmx256m"));
        HttpResponse<String> head = send(second.baseUrl(), token, "HEAD", location, Map.of("Tus-Resumable", "1.0.0"),
                new byte[0]);
        assertThat(head.headers().firstValue("Upload-Offset")).contains("0");
        HttpResponse<String> patch = send(second.baseUrl(), token, "PATCH", location, Map.of("Tus-Resumable",
                "1.0.0", "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream"), data);
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(204);
        assertThat(patch.headers().firstValue("Upload-Offset")).contains(String.valueOf(data.length));
    }

    @Test
    void aChunkHeldByALiveWriterAnswersRetryAfterAndIsFreeOnceItsClientHangsUp() throws Exception {
        PackagedService a = harness.start(List.of("-Xmx256m"));
        PackagedService b = harness.start(List.of("-Xmx256m"));
        String token = harness.jwt.user(UUID.randomUUID());
        byte[] data = Videos.mp4Bytes();
        HttpResponse<String> created = send(a.baseUrl(), token, "POST", "/api/uploads", Map.of(
                "Content-Type", "application/json"), JSON.writeValueAsBytes(Map.of("fileName", "live.mp4",
                "size", data.length, "chunkSize", CHUNK, "contentType", "video/mp4")));
        String id = JSON.readTree(created.body()).get("uploadId").asText();
        byte[] chunk0 = Api.chunk(data, CHUNK, 0);
        String path = "/api/uploads/" + id + "/chunks/0";

        try (Socket inFlight = halfSent(a, "PUT", path, token, Map.of("Content-Type", "application/octet-stream"),
                chunk0)) {
            awaitWriting(id, 0);
            HttpResponse<String> busy = send(b.baseUrl(), token, "PUT", path,
                    Map.of("Content-Type", "application/octet-stream"), chunk0);
            assertThat(busy.statusCode()).isEqualTo(409);
            JsonNode problem = JSON.readTree(busy.body());
            assertThat(problem.get("code").asText()).isEqualTo("upload.chunk_in_progress");
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        }
        // the client hung up: its writer gives the chunk up, and a retry after Retry-After is taken
        HttpResponse<String> retried = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            retried = send(b.baseUrl(), token, "PUT", path, Map.of("Content-Type", "application/octet-stream"), chunk0);
            if (retried.statusCode() != 409) {
                break;
            }
            Thread.sleep(1000L * Long.parseLong(retried.headers().firstValue("Retry-After").orElse("1")));
        }
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    }

    /** Opens a raw connection and sends the request line, headers and the first half of {@code body}. */
    private static Socket halfSent(PackagedService service, String method, String path, String token,
            Map<String, String> headers, byte[] body) throws IOException {
        Socket socket = new Socket("127.0.0.1", service.port());
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Length: " + body.length + "\r\n");
        headers.forEach((key, value) -> head.append(key).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(Arrays.copyOf(body, body.length / 2));
        out.flush();
        return socket;
    }

    /** Waits until the service has claimed the chunk (its row is WRITING): the body is being received. */
    private static void awaitWriting(String uploadId, int index) throws Exception {
        try (Connection db = DriverManager.getConnection(harness.postgres.jdbcUrl("postgres"), Postgres.USER,
                "postgres");
                PreparedStatement query = db.prepareStatement(
                        "select state from upload_chunk where upload_id = ?::uuid and idx = ?")) {
            query.setString(1, uploadId);
            query.setInt(2, index);
            for (int i = 0; i < 300; i++) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && "WRITING".equals(row.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("chunk " + index + " of " + uploadId + " was never claimed");
    }

    private static HttpResponse<String> send(String base, String token, String method, String path,
            Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
