package dev.clipflow.testinfra.conventions;

import dev.clipflow.testinfra.resources.JwtResource;
import dev.clipflow.testinfra.servers.JwtIssuer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

/**
 * What the contract's "Gateway and conventions" section promises of every service: health,
 * OpenAPI, Prometheus metrics, problem+json errors, and JWT verification from the JWKS alone
 * (Bearer header or {@code access_token} cookie; expired, forged, unsigned and foreign-issuer
 * tokens refused). Each service's test extends this with a path that needs a signed-in user.
 */
public abstract class PlatformConventionsTest {

    /** A GET path of this service that a signed-in user may call. */
    protected abstract String protectedPath();

    /** The service name, as {@code quarkus.application.name} and the X-Clipflow-Service header. */
    protected abstract String serviceName();

    /** A token this service accepts; by default one from the test JWKS. */
    protected String validToken() {
        return issuer().user(UUID.randomUUID());
    }

    protected JwtIssuer issuer() {
        return JwtResource.tokens();
    }

    @Test
    void livenessAndReadinessAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDocumentDescribesTheService() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."))
                .body("paths", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void everyResponseNamesTheService() {
        given().get("/q/health/live").then().header("X-Clipflow-Service", serviceName());
    }

    @Test
    void noTokenIsAProblem401() {
        given().get(protectedPath()).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("code", equalTo("auth.unauthenticated"))
                .body("type", containsString("https://"))
                .body("title", not(equalTo("")));
    }

    @Test
    void bearerTokenIsAccepted() {
        Response response = given().auth().oauth2(validToken()).get(protectedPath());
        response.then().statusCode(allOf(not(oneOf(401, 403)), lessThan(500)));
    }

    @Test
    void accessTokenCookieIsAccepted() {
        Response response = given().cookie("access_token", validToken()).get(protectedPath());
        response.then().statusCode(allOf(not(oneOf(401, 403)), lessThan(500)));
    }

    @Test
    void expiredTokenIsRefused() {
        refused(issuer().expired(UUID.randomUUID()));
    }

    @Test
    void tokenSignedByAForeignKeyIsRefused() {
        refused(issuer().foreignSigned(UUID.randomUUID()));
    }

    @Test
    void unsignedTokenIsRefused() {
        refused(issuer().unsigned(UUID.randomUUID()));
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        refused(issuer().wrongIssuer(UUID.randomUUID()));
    }

    @Test
    void garbageTokenIsRefused() {
        refused("not.a.jwt");
    }

    @Test
    void unknownPathIsAProblem404() {
        given().auth().oauth2(validToken()).get(protectedPath() + "/no/such/thing/" + UUID.randomUUID())
                .then().statusCode(greaterThanOrEqualTo(400)).statusCode(lessThan(500))
                .contentType("application/problem+json");
    }

    private void refused(String token) {
        given().auth().oauth2(token).get(protectedPath()).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo("auth.unauthenticated"));
        given().cookie("access_token", token).get(protectedPath()).then().statusCode(401);
    }
}
