package dev.clipflow.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.clipflow.testinfra.files.Commands;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Webhooks as a customer meets them: a real HTTP server started here receives video.ready for an uploaded
 * video, first answering 500 twice; the Standard Webhooks reference library (npm standardwebhooks, not our
 * code) accepts the signature and refuses a tampered body and a stale timestamp; the delivery log shows every
 * attempt; internal targets are refused.
 */
@ExtendWith(Stack.class)
class WebhooksTest {

    record Received(Map<String, String> headers, String body, Instant at) {
    }

    @Test
    void videoReadyArrivesSignedAfterRetriesAndTheLogShowsEveryAttempt(@TempDir Path dir) throws Exception {
        Users.User user = Users.signUp("Hook");
        List<Received> received = new CopyOnWriteArrayList<>();
        Deque<Integer> answers = new ArrayDeque<>(List.of(500, 500));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8), Instant.now()));
            Integer status;
            synchronized (answers) {
                status = answers.poll();
            }
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            JsonPath endpoint = given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("url", url, "eventTypes", List.of("video.ready", "video.failed")))
                    .post(Videos.url("/api/webhooks")).then().statusCode(201).extract().jsonPath();
            String secret = endpoint.getString("secret");

            UUID video = Videos.uploadChunked(user, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0), "Hooked", "Vlog");
            Videos.awaitReady(user, video);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 3);

            // the same message each time; each gap longer than the one before (exponential backoff)
            assertThat(received).extracting(r -> r.headers().get("webhook-id")).containsOnly(received.get(0).headers().get("webhook-id"));
            Duration first = Duration.between(received.get(0).at(), received.get(1).at());
            Duration second = Duration.between(received.get(1).at(), received.get(2).at());
            assertThat(second).isGreaterThan(first);

            Received delivered = received.get(2);
            List<Map<String, Object>> requests = new ArrayList<>();
            requests.add(request("genuine", delivered.headers(), delivered.body()));
            requests.add(request("tampered", delivered.headers(), delivered.body().replace(video.toString(),
                    UUID.randomUUID().toString())));
            Map<String, String> stale = new LinkedHashMap<>(delivered.headers());
            stale.put("webhook-timestamp", String.valueOf(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond()));
            requests.add(request("stale", stale, delivered.body()));
            Map<String, JsonPath> verdicts = verify(dir, secret, requests);
            assertThat(verdicts.get("genuine").getBoolean("ok")).as(verdicts.get("genuine").prettify()).isTrue();
            assertThat(verdicts.get("genuine").getString("type")).isEqualTo("video.ready");
            assertThat(JsonPath.from(delivered.body()).getString("data.videoId")).isEqualTo(video.toString());
            assertThat(verdicts.get("tampered").getBoolean("ok")).isFalse();
            assertThat(verdicts.get("stale").getBoolean("ok")).isFalse();
            assertThat(verdicts.get("stale").getString("error")).containsIgnoringCase("timestamp");

            JsonPath log = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(user.accessToken())
                            .get(Videos.url("/api/webhooks/" + endpoint.getString("id") + "/deliveries")).then()
                            .statusCode(200).extract().jsonPath(),
                    l -> "SUCCEEDED".equals(l.getString("items[0].status")));
            assertThat(log.getString("items[0].eventType")).isEqualTo("video.ready");
            assertThat(log.getList("items[0].attemptLog.statusCode", Integer.class)).containsExactly(500, 500, 204);
            assertThat(log.getList("items[0].attemptLog.attempt", Integer.class)).containsExactly(1, 2, 3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void internalTargetsAreRefused() {
        Users.User user = Users.signUp("Ssrf");
        for (String url : List.of("http://10.0.0.7/hook", "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/",
                "http://[fd12::1]/hook", "http://172.17.0.1:2375/containers/json", "http://100.100.100.200/")) {
            given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("url", url, "eventTypes", List.of("video.ready")))
                    .post(Videos.url("/api/webhooks")).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("webhook.url_refused"));
        }
        given().auth().oauth2(user.accessToken()).get(Videos.url("/api/webhooks")).then().statusCode(200)
                .body("total", equalTo(0));
    }

    private static Map<String, Object> request(String name, Map<String, String> headers, String body) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("headers", Map.of("webhook-id", headers.get("webhook-id"),
                "webhook-timestamp", headers.get("webhook-timestamp"),
                "webhook-signature", headers.get("webhook-signature")));
        request.put("body", body);
        return request;
    }

    /** Runs system-tests/webhooks/verify.mjs (npm standardwebhooks) over the requests; verdicts by name. */
    private static Map<String, JsonPath> verify(Path dir, String secret, List<Map<String, Object>> requests) throws Exception {
        Path verifier = Stack.get().root().resolve("system-tests/webhooks");
        if (!Files.isDirectory(verifier.resolve("node_modules/standardwebhooks"))) {
            Commands.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", verifier.toString()),
                    Duration.ofMinutes(3));
        }
        Path input = dir.resolve("requests.json");
        new ObjectMapper().writeValue(input.toFile(), Map.of("secret", secret, "requests", requests));
        String out = Commands.run(List.of("node", verifier.resolve("verify.mjs").toString(), input.toString()),
                Duration.ofMinutes(1));
        Map<String, JsonPath> verdicts = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            JsonPath verdict = JsonPath.from(line);
            verdicts.put(verdict.getString("name"), verdict);
        }
        return verdicts;
    }
}
