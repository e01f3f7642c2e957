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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS as a browser enforces it, not as headers look to curl: {@code console/e2e/cross-origin.mjs} opens a page on
 * another origin than the gateway in Debian's Chromium (headless, playwright-core) and calls the API from it.
 * From {@code app.clipflow.test} (allowed by the stack's {@link Stack#CORS_ORIGINS}) the preflighted calls with
 * {@code Authorization} work, a tus upload is created and patched with its {@code Location} and
 * {@code Upload-Offset} read by the page, and both a service's problem and the gateway's own 404 problem are
 * readable; from {@code evil.clipflow.test} the browser refuses every call (the preflight fails, and even a
 * simple GET's answer stays unreadable).
 */
@Tag("journey")
@ExtendWith(Stack.class)
class BrowserCorsTest {

    private static final Path CONSOLE = RepoRoot.find().resolve("console");

    @Test
    void aPageOnAnAllowedOriginUsesTheApiAndAnotherOriginIsRefusedByTheBrowser(@TempDir Path dir) throws Exception {
        assertThat(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .as("Debian's chromium (./clipflow test installs it as root)").isExecutable();
        assertThat(CONSOLE.resolve("node_modules/playwright-core")).as("console/node_modules: ./mvnw package -pl console")
                .isDirectory();
        Users.User user = Users.signUp("Cross origin");
        Path out = dir.resolve("cors.out");
        Path err = dir.resolve("cors.err");
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "e2e/cross-origin.mjs")).directory(CONSOLE.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("API", Stack.get().gateway());
        builder.environment().put("TOKEN", user.accessToken());
        Process node = builder.start();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the browser timed out:\n" + Files.readString(err));
        }
        assertThat(node.exitValue()).as(Files.readString(err)).isZero();
        JsonNode result = new ObjectMapper().readTree(Files.readString(out));

        JsonNode app = result.path("app");
        assertThat(app.path("pageOrigin").asText()).as("the page is on another origin than the gateway")
                .isEqualTo("http://app.clipflow.test:" + result.path("port").asInt())
                .isNotEqualTo(Stack.get().gateway());
        assertThat(app.path("me").path("status").asInt()).as(app.toString()).isEqualTo(200);
        assertThat(app.path("me").path("email").asText()).isEqualTo(user.email());
        // tus from the page: Location and Upload-Offset are exposed to it
        assertThat(app.path("tusCreate").path("status").asInt()).as(app.toString()).isEqualTo(201);
        assertThat(app.path("tusCreate").path("location").asText()).contains("/api/tus/");
        assertThat(app.path("tusPatch").path("status").asInt()).as(app.toString()).isEqualTo(204);
        assertThat(app.path("tusPatch").path("uploadOffset").asText()).isEqualTo("400");
        assertThat(app.path("tusHead").path("uploadOffset").asText()).isEqualTo("400");
        assertThat(app.path("tusHead").path("uploadLength").asText()).isEqualTo("1000");
        // problems stay readable: a service's and the gateway's own
        assertThat(app.path("serviceProblem").path("type").asText()).startsWith("application/problem+json");
        assertThat(app.path("serviceProblem").path("code").asText()).isNotEmpty();
        assertThat(app.path("gatewayProblem").path("status").asInt()).isEqualTo(404);
        assertThat(app.path("gatewayProblem").path("code").asText()).isEqualTo("gateway.not_found");
        assertThat(app.path("simpleGet").path("openapi").asText()).isEqualTo("3.1.0");

        // the server really saw the bytes the page sent
        String uploadId = app.path("tusCreate").path("location").asText().replaceAll(".*/api/tus/", "");
        given().auth().oauth2(user.accessToken()).header("Tus-Resumable", "1.0.0")
                .head(Stack.get().gateway() + "/api/tus/" + uploadId).then().statusCode(200).header("Upload-Offset", "400");

        JsonNode evil = result.path("evil");
        for (String call : List.of("me", "tusCreate", "tusPatch", "tusHead", "serviceProblem", "gatewayProblem", "simpleGet")) {
            assertThat(evil.path(call).path("error").asText()).as(call + ": " + evil).startsWith("TypeError");
        }
        assertThat(evil.path("console").toString()).as("Chromium names CORS as the reason").contains("CORS");
        // and nothing was created from there: the user still has just the one upload made from the allowed origin
        assertThat(given().auth().oauth2(user.accessToken()).get(Stack.get().gateway() + "/api/uploads")
                .then().statusCode(200).extract().jsonPath().getList("items.uploadId")).containsExactly(uploadId);
        assertThat(UUID.fromString(uploadId)).isNotNull();
    }
}
