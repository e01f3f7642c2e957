package dev.clipflow.system;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notify-service is killed (kill -9) while a webhook request is in flight: the delivery's state is in
 * PostgreSQL, so after `./clipflow up` it is sent again (its lease ran out) with the same webhook-id:
 * at least once, nothing lost.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class WebhookCrashTest {

    @Test
    void aDeliveryInFlightWhenNotifyServiceDiesIsSentAgainAfterTheRestart(@TempDir Path dir) throws Exception {
        Users.User user = Users.signUp("Crash hook");
        List<String> ids = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            if (ids.size() == 1) {
                Stack.get().kill9("notify-service"); // the sender dies before it hears the answer
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String id = given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                            "eventTypes", List.of("upload.completed")))
                    .post(Videos.url("/api/webhooks")).then().statusCode(201).extract().jsonPath().getString("id");
            Videos.uploadChunked(user, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0), "Crash", "Vlog");

            await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() >= 1);
            Stack.get().run(List.of("./clipflow", "up"), 300);

            // the local stack's lease is 20 s (deploy/local/notify-service.properties)
            await().atMost(Duration.ofSeconds(90)).until(() -> ids.size() >= 2);
            assertThat(ids).containsOnly(ids.get(0));
            JsonPath log = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(user.accessToken())
                            .get(Videos.url("/api/webhooks/" + id + "/deliveries")).then().statusCode(200)
                            .extract().jsonPath(),
                    l -> "SUCCEEDED".equals(l.getString("items[0].status")));
            assertThat(log.getString("items[0].messageId")).isEqualTo(ids.get(0));
            assertThat(log.getList("items[0].attemptLog.statusCode", Integer.class)).containsExactly(204);
        } finally {
            server.stop(0);
        }
    }
}
