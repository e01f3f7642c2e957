package dev.clipflow.system;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The stack as ./clipflow up gives it: every process up, the gateway routing the contract's table. */
@ExtendWith(Stack.class)
class PlatformTest {

    private static final Map<String, String> SERVICE_PORTS = Map.of(
            "auth-service", "AUTH", "upload-service", "UPLOAD", "transcode-service", "TRANSCODE",
            "catalog-service", "CATALOG", "quota-service", "QUOTA");

    @Test
    void statusShowsEveryProcessRunning() {
        String status = Stack.get().run(List.of("./clipflow", "status"), 60);

        for (String name : List.of("postgres", "mongo", "kafka", "mail", "auth-service", "quota-service",
                "upload-service", "transcode-service", "catalog-service", "gateway")) {
            assertThat(status).containsPattern("(?m)^" + name + "\\s+\\d+\\s+\\d+\\s+running$");
        }
    }

    /** Dead letters must have somewhere to go before the first one happens: every contract topic and its .dlq. */
    @Test
    void theBrokerHasEveryContractTopicAndItsDeadLetterTopic() {
        java.util.Set<String> topics = KafkaTopics.names();
        for (String topic : dev.clipflow.contracts.events.Topics.ALL) {
            assertThat(topics).as("topics of the stack's broker").contains(topic, dev.clipflow.contracts.events.Topics.dlq(topic));
        }
    }

    @Test
    void everyServiceIsReady() {
        SERVICE_PORTS.forEach((service, port) -> given()
                .get("http://127.0.0.1:" + Stack.get().port(port) + "/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")).header("X-Clipflow-Service", service));
    }

    @Test
    void gatewayRoutesEveryPrefixToItsService() throws IOException {
        List<String[]> routes = Files.readAllLines(Path.of(System.getProperty("clipflow.root"), "deploy/gateway/routes.tsv"))
                .stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\\t")).toList();
        assertThat(routes).hasSize(16);
        // the API document and its reference (api-docs, served by auth-service) answer without a token
        List<String> documents = List.of("/api/openapi.json", "/api/openapi.yaml", "/api/docs");
        for (String[] route : routes) {
            for (String path : List.of(route[0], route[0] + "/some/thing")) {
                Response response = given().redirects().follow(false).get(Stack.get().gateway() + path);
                assertThat(response.header("X-Clipflow-Service")).as(path).isEqualTo(route[1]);
                if (documents.contains(path)) {
                    assertThat(response.statusCode()).as(path).isBetween(200, 399);
                    continue;
                }
                assertThat(response.statusCode()).as(path).isBetween(400, 499);
                assertThat(response.contentType()).as(path).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void unauthenticatedCallsGetA401ProblemFromTheOwningService() {
        Map<String, String> protectedPaths = Map.of(
                "/api/videos", "catalog-service", "/api/uploads", "upload-service", "/api/jobs", "transcode-service",
                "/api/quota/me", "quota-service", "/api/auth/me", "auth-service");
        protectedPaths.forEach((path, service) -> given().get(Stack.get().gateway() + path).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("X-Clipflow-Service", service)
                .body("code", equalTo("auth.unauthenticated")));
    }

    @Test
    void aTokenSignedByAuthServiceIsAcceptedByEveryService() {
        Users.User admin = Users.admin();
        for (String path : List.of("/api/auth/me", "/api/videos", "/api/uploads", "/api/jobs", "/api/quota/me",
                "/api/admin/users", "/api/admin/videos")) {
            given().auth().oauth2(admin.accessToken()).get(Stack.get().gateway() + path).then().statusCode(200);
            given().cookie("access_token", admin.accessToken()).get(Stack.get().gateway() + path).then().statusCode(200);
        }
    }

    @Test
    void internalAndUnknownPathsAreNotRouted() {
        // "/" itself is the web console's page (ConsoleTest)
        for (String path : List.of("/internal/quota/users/x", "/q/metrics", "/api/nothing", "/index.html", "/nothing")) {
            given().get(Stack.get().gateway() + path).then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("code", equalTo("gateway.not_found"));
        }
    }
}
