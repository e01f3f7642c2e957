package dev.clipflow.system;

import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Readiness tells the truth: with PostgreSQL stopped, every service that needs it answers
 * {@code /q/health/ready} with 503 and its database check DOWN (the pods leave the Service), while
 * liveness stays UP (no restart for an outage) and a request that needs the database answers 503
 * {@code service.unavailable} with {@code Retry-After} through the gateway; when PostgreSQL is back, readiness is UP
 * again.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class ReadinessTest {

    private static final List<String> WITH_POSTGRES = List.of("AUTH", "UPLOAD", "TRANSCODE", "CATALOG");

    /** A read of each service that needs PostgreSQL, through the gateway. */
    private static final Map<String, String> READS = Map.of("AUTH", "/api/auth/me", "UPLOAD", "/api/uploads",
            "TRANSCODE", "/api/jobs", "CATALOG", "/api/videos?scope=mine");

    @Test
    void readinessIsDownWhilePostgresIsStoppedAndUpWhenItReturns() {
        Users.User user = Users.signUp("Rea");
        for (String service : WITH_POSTGRES) {
            given().get(Stack.get().service(service) + "/q/health/ready").then().statusCode(200);
        }
        Stack.get().stop("postgres");
        try {
            for (String service : WITH_POSTGRES) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Response ready = given().get(Stack.get().service(service) + "/q/health/ready");
                    assertThat(ready.statusCode()).as(service).isEqualTo(503);
                    List<Map<String, Object>> checks = ready.jsonPath().getList("checks");
                    assertThat(checks).as(service).anySatisfy(check -> {
                        assertThat(String.valueOf(check.get("name"))).isEqualTo("Database connections health check");
                        assertThat(check.get("status")).isEqualTo("DOWN");
                    });
                });
                given().get(Stack.get().service(service) + "/q/health/live").then().statusCode(200);
                // a caller is told to come back (503 with Retry-After), not that the server is broken (500)
                given().auth().oauth2(user.accessToken()).get(Videos.url(READS.get(service))).then()
                        .log().ifValidationFails().statusCode(503).header("Retry-After", "5")
                        .contentType("application/problem+json").body("code", equalTo("service.unavailable"));
            }
        } finally {
            Stack.get().start("postgres");
        }
        for (String service : WITH_POSTGRES) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(given().get(Stack.get().service(service) + "/q/health/ready").statusCode())
                            .as(service).isEqualTo(200));
        }
    }
}
