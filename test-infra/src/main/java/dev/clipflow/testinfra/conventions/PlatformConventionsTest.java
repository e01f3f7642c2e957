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
        // The body names the check that is DOWN (printed when the expectation fails).
        given().get("/q/health/live").then().log().ifValidationFails().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().log().ifValidationFails().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDocumentDescribesTheService() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."))
                .body("paths", org.hamcrest.Matchers.notNullValue());
    }

    /**
     * The service's OpenAPI document is the one committed in api-docs/services/ (merged into the public document
     * there): an API change without regenerated documents fails here. Regenerate with
     * {@code -Dclipflow.openapi.update=true} (see api-docs/README.md).
     */
    @Test
    void openApiDocumentIsTheCommittedOne() throws java.io.IOException {
        String served = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        Object document = json.readValue(served, java.util.TreeMap.class);
        java.nio.file.Path file = dev.clipflow.testinfra.servers.RepoRoot.find()
                .resolve("api-docs/services/" + serviceName() + ".json");
        if (Boolean.getBoolean("clipflow.openapi.update")) {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, json.writeValueAsString(document) + "\n");
            return;
        }
        org.hamcrest.MatcherAssert.assertThat(file + " is missing: run this test with -Dclipflow.openapi.update=true",
                java.nio.file.Files.exists(file), equalTo(true));
        org.hamcrest.MatcherAssert.assertThat(serviceName() + "'s API changed but " + file + " was not regenerated: "
                        + "run this test with -Dclipflow.openapi.update=true, then api-docs' OpenApiMergeTest likewise",
                json.readTree(served), equalTo(json.readTree(file.toFile())));
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

    /** The origin the services' test profile allows (problem module: %test.quarkus.http.cors.origins). */
    protected static final String CONSOLE_ORIGIN = "https://console.clipflow.test";

    @Test
    void preflightFromAnAllowedOriginIsAnswered() {
        given().header("Origin", CONSOLE_ORIGIN).header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,tus-resumable,upload-offset,content-type")
                .options(protectedPath()).then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE_ORIGIN)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("PATCH"))
                .header("Access-Control-Allow-Headers", allOf(containsString("Upload-Offset"), containsString("Authorization")))
                .header("Access-Control-Max-Age", "3600");
    }

    @Test
    void anAllowedOriginMayReadTheTusAndLocationHeaders() {
        given().header("Origin", CONSOLE_ORIGIN).auth().oauth2(validToken()).get(protectedPath()).then()
                .statusCode(allOf(not(oneOf(401, 403)), lessThan(500)))
                .header("Access-Control-Allow-Origin", CONSOLE_ORIGIN)
                .header("Access-Control-Expose-Headers", allOf(containsString("Location"), containsString("Upload-Offset"),
                        containsString("Upload-Length"), containsString("Tus-Resumable")));
    }

    @Test
    void aForeignOriginIsRefusedWithAProblem() {
        // a page on another site posting with the user's cookie: the CSRF case
        given().header("Origin", "https://evil.example").cookie("access_token", validToken())
                .contentType("application/json").body("{}").post(protectedPath()).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("request.origin_not_allowed"))
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "DELETE")
                .options(protectedPath()).then()
                .statusCode(403).contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void theServicesOwnOriginIsAllowed() {
        given().header("Origin", "http://localhost:" + io.restassured.RestAssured.port).auth().oauth2(validToken())
                .get(protectedPath()).then().statusCode(allOf(not(oneOf(401, 403)), lessThan(500)));
    }

    @Test
    void aMalformedPercentEscapeIsAProblem400() throws java.io.IOException {
        // sent over a plain socket: HTTP clients refuse to send a malformed escape at all
        RawResponse response = rawGet(protectedPath() + "?page=%ZZ", "Authorization: Bearer " + validToken());
        org.hamcrest.MatcherAssert.assertThat(response.status(), equalTo(400));
        org.hamcrest.MatcherAssert.assertThat(response.header("content-type"), org.hamcrest.Matchers.startsWith("application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(response.body(), containsString("\"code\":\"request.malformed_uri\""));
    }

    @Test
    void anOverLongRequestLineIsAProblem414() {
        given().urlEncodingEnabled(false).auth().oauth2(validToken()).get(protectedPath() + "?q=" + "a".repeat(9000)).then()
                .statusCode(414)
                .contentType("application/problem+json")
                .body("code", equalTo("request.uri_too_long"));
    }

    /**
     * Past Netty's own limits (request line over quarkus.http.limits.max-initial-line-length, 64 KiB; headers over
     * max-header-size) the HTTP codec refuses the request before any filter runs: still a problem, not a bare status.
     */
    @Test
    void aRequestLineOverTheCodecsLimitIsAProblem414() throws java.io.IOException {
        RawResponse response = rawGet(protectedPath() + "?q=" + "a".repeat(70 * 1024));
        org.hamcrest.MatcherAssert.assertThat(response.status(), equalTo(414));
        org.hamcrest.MatcherAssert.assertThat(response.header("content-type"), org.hamcrest.Matchers.startsWith("application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(response.body(), containsString("\"code\":\"request.uri_too_long\""));
    }

    @Test
    void headersOverTheCodecsLimitAreAProblem431() throws java.io.IOException {
        RawResponse response = rawGet(protectedPath(), "X-Big: " + "b".repeat(40 * 1024));
        org.hamcrest.MatcherAssert.assertThat(response.status(), equalTo(431));
        org.hamcrest.MatcherAssert.assertThat(response.header("content-type"), org.hamcrest.Matchers.startsWith("application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(response.body(), containsString("\"code\":\"http.431\""));
    }

    /** An HTTP/1.1 response read off a socket: status, lower-case header names, body. */
    protected record RawResponse(int status, java.util.Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    /** A GET written byte for byte, for request targets no HTTP client library sends as they are. */
    protected static RawResponse rawGet(String target, String... headers) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, end < 0 ? raw.length() : end).split("\r\n");
            java.util.Map<String, String> names = new java.util.HashMap<>();
            for (int n = 1; n < lines.length; n++) {
                int colon = lines[n].indexOf(':');
                names.put(lines[n].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[n].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), names, end < 0 ? "" : raw.substring(end + 4));
        }
    }

    private void refused(String token) {
        given().auth().oauth2(token).get(protectedPath()).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo("auth.unauthenticated"));
        given().cookie("access_token", token).get(protectedPath()).then().statusCode(401);
    }
}
