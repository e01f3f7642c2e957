package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the platform team sees of one upload (docs/operations.md, "When something is wrong"): one trace
 * from the upload's requests through {@code video.uploaded}, the transcode job and its ffmpeg passes,
 * {@code video.transcoded} to catalog's update (read from the local stack's trace collector,
 * {@code $CLIPFLOW_HOME/traces/spans.jsonl}); JSON log lines with trace ids in every service (the
 * stack runs with production's log format, {@code CLIPFLOW_LOG_JSON=true}); the new meters on
 * {@code /q/metrics} with the journey's figures; and every metric name the chart's alert rules and
 * dashboard use ({@code deploy/src/test/resources/observability/metrics-used.txt}) in a real scrape.
 */
@Tag("journey")
@ExtendWith(Stack.class)
class ObservabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("AUTH", "UPLOAD", "TRANSCODE", "CATALOG", "QUOTA", "NOTIFY");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    @Test
    void oneUploadIsOneTraceWithItsMetersAndLogs(@TempDir Path dir) throws Exception {
        Users.User user = Users.signUp("Tracy");
        Path clip = Media.clip(dir, "traced.mp4", 640, 360, 3);
        byte[] bytes = Files.readAllBytes(clip);
        Map<String, Double> uploadBefore = scrape("UPLOAD");
        Map<String, Double> transcodeBefore = scrape("TRANSCODE");

        // the client starts the trace: every request of the upload carries the same trace id
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        int chunkSize = 64 * 1024;
        JsonPath session = given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .contentType("application/json")
                .body(Map.of("fileName", "traced.mp4", "size", bytes.length, "chunkSize", chunkSize,
                        "sha256", Media.sha256(clip), "title", "Traced", "contentType", "video/mp4"))
                .post(Videos.url("/api/uploads")).then().statusCode(201).extract().jsonPath();
        String uploadId = session.getString("uploadId");
        UUID videoId = UUID.fromString(session.getString("videoId"));
        int chunks = session.getInt("totalChunks");
        for (int index = 0; index < chunks; index++) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, index * chunkSize, Math.min(bytes.length, (index + 1) * chunkSize));
            given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                    .contentType("application/octet-stream")
                    .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(chunk)))
                    .body(chunk).put(Videos.url("/api/uploads/" + uploadId + "/chunks/" + index)).then().statusCode(200);
        }
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .post(Videos.url("/api/uploads/" + uploadId + "/complete")).then().statusCode(202);
        Videos.awaitReady(user, videoId);

        // --- the trace: upload requests -> video.uploaded -> transcode job (ffmpeg spans) -> video.transcoded -> catalog
        List<JsonNode>[] trace = new List[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            trace[0] = spans(traceId);
            assertThat(trace[0]).anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("video.transcoded process")
                    .satisfies(n -> assertThat(s.path("service").asText()).isEqualTo("catalog-service")));
        });
        List<JsonNode> spans = trace[0];
        Map<String, JsonNode> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.path("spanId").asText(), s));
        List<JsonNode> chunkSpans = spans.stream().filter(s -> s.path("service").asText().equals("upload-service")
                && s.path("kind").asText().equals("SERVER") && s.path("name").asText().contains("chunks")).toList();
        assertThat(chunkSpans).hasSize(chunks);
        JsonNode completion = single(spans, "upload-service", "SERVER", n -> n.endsWith("/complete"));
        JsonNode uploadedSent = single(spans, "upload-service", "PRODUCER", n -> n.equals("video.uploaded publish"));
        JsonNode uploadedTaken = single(spans, "transcode-service", "CONSUMER", n -> n.equals("video.uploaded process"));
        JsonNode job = single(spans, "transcode-service", "INTERNAL", n -> n.equals("transcode job"));
        JsonNode transcodedSent = single(spans, "transcode-service", "PRODUCER", n -> n.equals("video.transcoded publish"));
        JsonNode catalogUpdate = single(spans, "catalog-service", "CONSUMER", n -> n.equals("video.transcoded process"));
        assertThat(job.path("attributes").path("clipflow.video.id").asText()).isEqualTo(videoId.toString());
        assertThat(job.path("attributes").path("clipflow.job.outcome").asText()).isEqualTo("succeeded");
        List<JsonNode> ffmpeg = spans.stream().filter(s -> s.path("name").asText().startsWith("ffmpeg ")).toList();
        assertThat(ffmpeg).isNotEmpty().allSatisfy(run -> {
            assertThat(ancestors(run, byId)).contains(job.path("spanId").asText());
            assertThat(run.path("attributes").path("process.exit.code").asLong()).isZero();
            assertThat(run.path("durationMs").asDouble()).isPositive();
        });
        assertThat(ffmpeg).anySatisfy(run -> assertThat(run.path("attributes").path("clipflow.ffmpeg.rungs").asText())
                .contains("p"));
        // one causal chain: catalog's update descends from the job, the job from the completion request
        List<String> chain = ancestors(catalogUpdate, byId);
        assertThat(chain).containsSubsequence(transcodedSent.path("spanId").asText(), job.path("spanId").asText(),
                uploadedTaken.path("spanId").asText(), uploadedSent.path("spanId").asText(),
                completion.path("spanId").asText());

        // --- the meters: bytes received = the file's size, one more job succeeded
        Map<String, Double> upload = scrape("UPLOAD");
        assertThat(delta(uploadBefore, upload, "clipflow_upload_received_bytes_total{application=\"upload-service\",protocol=\"chunked\"}"))
                .isEqualTo(bytes.length);
        assertThat(delta(uploadBefore, upload, "clipflow_upload_chunks_received_total{application=\"upload-service\",protocol=\"chunked\"}"))
                .isEqualTo(chunks);
        assertThat(delta(uploadBefore, upload, "clipflow_upload_completion_duration_seconds_count{application=\"upload-service\",outcome=\"completed\"}"))
                .isEqualTo(1);
        assertThat(upload.get("clipflow_upload_sessions{application=\"upload-service\",state=\"completed\"}")).isPositive();
        Map<String, Double> transcode = scrape("TRANSCODE");
        assertThat(delta(transcodeBefore, transcode,
                "clipflow_transcode_job_duration_seconds_count{application=\"transcode-service\",outcome=\"succeeded\",type=\"TRANSCODE\"}"))
                .isEqualTo(1);
        assertThat(transcode.get("clipflow_transcode_ffmpeg_realtime_factor_count{application=\"transcode-service\",step=\"transcoding\"}"))
                .isPositive();
        assertThat(transcode.get("clipflow_transcode_jobs_oldest_queued_age_seconds{application=\"transcode-service\"}")).isNotNull();
        for (String service : List.of("AUTH", "UPLOAD", "TRANSCODE", "CATALOG", "NOTIFY")) {
            assertThat(scrape(service)).as(service).containsKey(
                    "clipflow_outbox_backlog{application=\"" + service.toLowerCase() + "-service\"}");
        }

        // --- every metric the chart's alerts and dashboard read is exported by some service
        Set<String> exported = new TreeSet<>();
        for (String service : SERVICES) {
            scrape(service).keySet().forEach(series -> exported.add(series.replaceAll("\\{.*", "")));
        }
        List<String> used = Files.readAllLines(Stack.get().root().resolve("deploy/src/test/resources/observability/metrics-used.txt"))
                .stream().filter(line -> !line.isBlank()).toList();
        assertThat(used).isNotEmpty();
        assertThat(used).filteredOn(name -> !name.equals("up")).allSatisfy(name -> assertThat(exported).contains(name));

        // --- the logs: JSON lines, trace ids in the log context, the same fields everywhere; a request of
        // the trace to each service puts a line with its trace id (the access log) in every service's log
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .get(Videos.url("/api/auth/me")).then().statusCode(200);
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .get(Videos.url("/api/videos/" + videoId)).then().statusCode(200);
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .get(Videos.url("/api/quota/me")).then().statusCode(200);
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .get(Videos.url("/api/jobs?videoId=" + videoId)).then().statusCode(200);
        given().auth().oauth2(user.accessToken()).header("traceparent", traceparent(traceId))
                .get(Videos.url("/api/webhooks")).then().statusCode(200);
        Map<String, List<JsonNode>> logs = new LinkedHashMap<>();
        for (String service : List.of("auth-service", "upload-service", "transcode-service", "catalog-service", "quota-service",
                "notify-service")) {
            logs.put(service, jsonLog(service));
            assertThat(logs.get(service)).as(service).isNotEmpty().allSatisfy(line -> {
                assertThat(line.has("timestamp") && line.has("level") && line.has("message")).isTrue();
                assertThat(line.path("service").asText()).isEqualTo(service);
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String service : logs.keySet()) {
                // a line of the trace, with the calling user's id in the same field everywhere
                assertThat(jsonLog(service)).as("%s logs a line of the trace with the caller", service)
                        .anySatisfy(line -> {
                            assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
                            assertThat(line.path("mdc").path("userId").asText()).isEqualTo(user.id().toString());
                        });
            }
        });
        assertThat(logs.get("transcode-service")).anySatisfy(line -> {
            assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
            assertThat(line.path("mdc").path("videoId").asText()).isEqualTo(videoId.toString());
        });
    }

    @Test
    void healthShowsWhatEachServiceNeeds() {
        Map<String, Set<String>> expected = Map.of(
                "UPLOAD", Set.of("blob-store"),
                "CATALOG", Set.of("blob-store"),
                "TRANSCODE", Set.of("blob-store", "ffmpeg"));
        for (String service : SERVICES) {
            JsonPath ready = given().get(Stack.get().service(service) + "/q/health/ready").then().statusCode(200)
                    .extract().jsonPath();
            List<String> checks = ready.getList("checks.name");
            assertThat(checks).as(service).anyMatch(name -> name.toLowerCase().contains("kafka")
                    || name.toLowerCase().contains("messaging"));
            assertThat(checks).as(service).containsAll(expected.getOrDefault(service, Set.of()));
            given().get(Stack.get().service(service) + "/q/health/live").then().statusCode(200);
        }
        List<String> live = given().get(Stack.get().service("TRANSCODE") + "/q/health/live").then().statusCode(200)
                .extract().jsonPath().getList("checks.name");
        assertThat(live).contains("transcode-workers");
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static List<JsonNode> spans(String traceId) throws IOException {
        Path file = Stack.get().home().resolve("traces/spans.jsonl");
        List<JsonNode> spans = new ArrayList<>();
        if (!Files.exists(file)) {
            return spans;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.contains(traceId)) {
                JsonNode span = JSON.readTree(line);
                if (span.path("traceId").asText().equals(traceId)) {
                    spans.add(span);
                }
            }
        }
        return spans;
    }

    private static JsonNode single(List<JsonNode> spans, String service, String kind,
            java.util.function.Predicate<String> name) {
        List<JsonNode> found = spans.stream().filter(s -> s.path("service").asText().equals(service)
                && s.path("kind").asText().equals(kind) && name.test(s.path("name").asText())).toList();
        assertThat(found).as("%s %s span among %s", service, kind,
                spans.stream().map(s -> s.path("service").asText() + ":" + s.path("name").asText()).toList()).hasSize(1);
        return found.get(0);
    }

    /** The span's own id, then its parent's, up to the first span not in the trace file (the client's). */
    private static List<String> ancestors(JsonNode span, Map<String, JsonNode> byId) {
        List<String> chain = new ArrayList<>();
        for (JsonNode at = span; at != null && chain.size() < 100; at = byId.get(at.path("parentSpanId").asText())) {
            chain.add(at.path("spanId").asText());
        }
        return chain;
    }

    /** Every sample of a service's /q/metrics, by series (name and labels as printed). */
    private static Map<String, Double> scrape(String service) {
        String text = given().get(Stack.get().service(service) + "/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                String labels = sample.group(2) == null ? "" : normalise(sample.group(2));
                samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    /** Labels in name order (the exposition format does not fix the order). */
    private static String normalise(String labels) {
        String inner = labels.substring(1, labels.length() - 1);
        if (inner.isBlank()) {
            return "";
        }
        List<String> pairs = new ArrayList<>(List.of(inner.split(",(?=[a-zA-Z_]+=\")")));
        pairs.sort(null);
        return "{" + String.join(",", pairs) + "}";
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series %s in %s", series, after.keySet().stream().filter(k -> k.startsWith(series.replaceAll("\\{.*", ""))).toList())
                .containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    /** The service's JSON log lines (the stack's own "=== starting" markers left out). */
    private static List<JsonNode> jsonLog(String service) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        List<String> notJson = new ArrayList<>();
        for (String line : Files.readAllLines(Stack.get().home().resolve("logs/" + service + ".log"))) {
            if (line.isBlank() || line.startsWith("=== ")) {
                continue;
            }
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            } else {
                notJson.add(line);
            }
        }
        assertThat(notJson).as("%s lines that are not JSON", service).isEmpty();
        return lines;
    }
}
