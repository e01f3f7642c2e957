package dev.clipflow.upload.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.ServiceHarness;
import dev.clipflow.upload.support.Videos;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service as two real replicas on one database: chunks of one upload go to either
 * replica, both complete at once (exactly one video.uploaded), and a replica killed with SIGKILL
 * between chunks loses nothing: a fresh process resumes the same upload.
 */
class ReplicasIT {

    static final int CHUNK = 4096;
    static final ObjectMapper JSON = new ObjectMapper();
    static ServiceHarness harness;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    record Reply(int status, JsonNode body) {
    }

    static Reply call(String base, String token, String method, String path, HttpRequest.BodyPublisher body,
            String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    static Reply open(String base, String token, String name, int size) throws Exception {
        return call(base, token, "POST", "/api/uploads", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                Map.of("fileName", name, "size", size, "chunkSize", CHUNK, "contentType", "video/mp4"))),
                "application/json");
    }

    static Reply put(String base, String token, String id, int index, byte[] bytes) throws Exception {
        return call(base, token, "PUT", "/api/uploads/" + id + "/chunks/" + index,
                HttpRequest.BodyPublishers.ofByteArray(bytes), "application/octet-stream");
    }

    @Test
    void anyReplicaTakesAnyChunkAndCompletionHappensOnce() throws Exception {
        PackagedService a = harness.start(List.of("-Xmx256m"));
        PackagedService b = harness.start(List.of("-Xmx256m"));
        UUID user = UUID.randomUUID();
        String token = harness.jwt.user(user);
        byte[] data = Videos.mp4Bytes();
        int total = (data.length + CHUNK - 1) / CHUNK;

        Reply created = open(a.baseUrl(), token, "replicas.mp4", data.length);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("uploadId").asText();
        String videoId = created.body().get("videoId").asText();
        for (int i = 0; i < total; i++) {
            String base = i % 2 == 0 ? a.baseUrl() : b.baseUrl();
            assertThat(put(base, token, id, i, Api.chunk(data, CHUNK, i)).status()).isEqualTo(200);
        }
        // the same chunk again, on the other replica: a no-op
        assertThat(put(b.baseUrl(), token, id, 0, Api.chunk(data, CHUNK, 0)).status()).isEqualTo(200);

        List<CompletableFuture<Reply>> completions = new ArrayList<>();
        for (PackagedService replica : List.of(a, b, a, b)) {
            completions.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return call(replica.baseUrl(), token, "POST", "/api/uploads/" + id + "/complete",
                            HttpRequest.BodyPublishers.noBody(), null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Reply> completion : completions) {
            Reply reply = completion.get();
            assertThat(reply.status()).isEqualTo(202);
            assertThat(reply.body().get("videoId").asText()).isEqualTo(videoId);
        }
        assertThat(Files.readAllBytes(harness.blobs().resolve(BlobKeys.original(UUID.fromString(videoId)))))
                .isEqualTo(data);
        List<JsonNode> events = uploadedEvents(videoId);
        assertThat(events).hasSize(1);
        // the whole-file digest was advanced by both replicas in turn (each continues the other's stored state)
        assertThat(events.get(0).at("/data/sha256").asText()).isEqualTo(Api.sha256Hex(data));
    }

    @Test
    void aKilledReplicaLosesNothingAndAFreshProcessResumes() throws Exception {
        PackagedService first = harness.start(List.of("-Xmx256m"));
        UUID user = UUID.randomUUID();
        String token = harness.jwt.user(user);
        byte[] data = Videos.mp4Bytes();
        int total = (data.length + CHUNK - 1) / CHUNK;
        Reply created = open(first.baseUrl(), token, "restart.mp4", data.length);
        String id = created.body().get("uploadId").asText();
        for (int i = 0; i < total / 2; i++) {
            assertThat(put(first.baseUrl(), token, id, i, Api.chunk(data, CHUNK, i)).status()).isEqualTo(200);
        }
        first.process().destroyForcibly().waitFor();

        PackagedService second = harness.start(List.of("-Xmx256m"));
        Reply status = call(second.baseUrl(), token, "GET", "/api/uploads/" + id, HttpRequest.BodyPublishers.noBody(), null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("uploadedChunks").asInt()).isEqualTo(total / 2);
        List<Integer> missing = new ArrayList<>();
        status.body().get("missingChunks").forEach(n -> missing.add(n.asInt()));
        assertThat(missing).hasSize(total - total / 2);
        for (int i : missing) {
            assertThat(put(second.baseUrl(), token, id, i, Api.chunk(data, CHUNK, i)).status()).isEqualTo(200);
        }
        Reply completed = call(second.baseUrl(), token, "POST", "/api/uploads/" + id + "/complete",
                HttpRequest.BodyPublishers.noBody(), null);
        assertThat(completed.status()).isEqualTo(202);
        String videoId = completed.body().get("videoId").asText();
        assertThat(Files.readAllBytes(harness.blobs().resolve(BlobKeys.original(UUID.fromString(videoId)))))
                .isEqualTo(data);
        List<JsonNode> events = uploadedEvents(videoId);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/data/sha256").asText()).isEqualTo(Api.sha256Hex(data));
    }

    private static List<JsonNode> uploadedEvents(String videoId) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long settle = Long.MAX_VALUE;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("video.uploaded"));
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (videoId.equals(record.key())) {
                        events.add(readJson(record.value()));
                        settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    }
                }
            }
        }
        return events;
    }

    private static JsonNode readJson(String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
