package dev.clipflow.system;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The gateway as a browser and a careless client meet it: the API document and its reference, CORS for a page
 * on the gateway's own origin (preflight answered, tus headers readable), other origins refused, and a problem
 * body for what nginx or the HTTP layer refuse before any resource runs.
 */
@ExtendWith(Stack.class)
class FrontDoorTest {

    private static String gateway() {
        return Stack.get().gateway();
    }

    @Test
    void theApiDocumentAndItsReferenceAreServed() {
        given().get(gateway() + "/api/openapi.json").then().statusCode(200)
                .body("openapi", equalTo("3.1.0")).body("info.title", equalTo("Clipflow API"))
                .body("components.schemas.Problem.required", org.hamcrest.Matchers.hasItem("code"));
        given().get(gateway() + "/api/openapi.yaml").then().statusCode(200).body(containsString("openapi: 3.1.0"));
        given().redirects().follow(false).get(gateway() + "/api/docs").then().statusCode(302)
                .header("Location", containsString("/api/docs/"));
        given().get(gateway() + "/api/docs/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger-ui-bundle.js"));
        given().get(gateway() + "/api/docs/swagger-ui-bundle.js").then().statusCode(200);
    }

    @Test
    void aPageOnTheGatewaysOwnOriginGetsItsPreflightAndTheTusHeaders() {
        String origin = gateway();
        given().header("Origin", origin).header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,tus-resumable,upload-offset,content-type")
                .options(gateway() + "/api/tus/" + java.util.UUID.randomUUID()).then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Headers", containsString("Upload-Offset"));
        Users.User user = Users.signUp("Front door");
        Response created = given().header("Origin", origin).auth().oauth2(user.accessToken())
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "100")
                .header("Upload-Metadata", "filename " + java.util.Base64.getEncoder().encodeToString("a.mp4".getBytes()))
                .post(gateway() + "/api/tus");
        created.then().statusCode(201).header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Expose-Headers", containsString("Location"))
                .header("Access-Control-Expose-Headers", containsString("Upload-Offset"));
    }

    /** Every public operation of every service answers the preflight a browser sends before calling it. */
    @Test
    void everyRouteAnswersItsPreflightFromAnAllowedOrigin() {
        String origin = "https://app.clipflow.test";
        List<String> failures = new java.util.ArrayList<>();
        int checked = 0;
        for (OpenApi.Operation op : OpenApi.all()) {
            if (!op.path().startsWith("/api/") || op.method().equals("OPTIONS")) {
                continue;
            }
            String path = op.path().replaceAll("\\{[^}]+}", java.util.UUID.randomUUID().toString());
            Response response = given().header("Origin", origin).header("Access-Control-Request-Method", op.method())
                    .header("Access-Control-Request-Headers", "authorization,content-type,tus-resumable,upload-offset")
                    .options(gateway() + path);
            checked++;
            if (response.statusCode() != 200 || !origin.equals(response.header("Access-Control-Allow-Origin"))
                    || !String.valueOf(response.header("Access-Control-Allow-Methods")).contains(op.method())
                    || !String.valueOf(response.header("Access-Control-Allow-Headers")).toLowerCase().contains("authorization")) {
                failures.add(op.signature() + " -> " + response.statusCode() + " " + response.headers().asList());
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(failures).isEmpty();
    }

    @Test
    void anotherOriginIsRefusedWithAProblem() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "DELETE")
                .options(gateway() + "/api/videos").then()
                .statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("request.origin_not_allowed"))
                .header("Access-Control-Allow-Origin", nullValue());
    }

    /**
     * What nginx answers itself (no service serves the path, a header too long) carries the CORS headers for an
     * allowed origin, so that a page there can read the problem; another origin gets none.
     */
    @Test
    void theGatewaysOwnProblemsAreReadableFromAnAllowedOrigin() throws IOException {
        String allowed = "http://app.clipflow.test:5173";
        for (String path : List.of("/nothing", "/api/nothing")) {
            given().header("Origin", allowed).get(gateway() + path).then()
                    .statusCode(404).contentType("application/problem+json")
                    .body("code", equalTo("gateway.not_found"))
                    .header("Access-Control-Allow-Origin", allowed)
                    .header("Access-Control-Allow-Credentials", "true");
            given().header("Origin", "http://evil.clipflow.test:5173").get(gateway() + path).then()
                    .statusCode(404).header("Access-Control-Allow-Origin", nullValue());
        }
        // a preflight to such a path is answered, so that the browser sends the request and can read the 404
        given().header("Origin", allowed).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").options(gateway() + "/api/nothing").then()
                .statusCode(204).header("Access-Control-Allow-Origin", allowed)
                .header("Access-Control-Allow-Headers", "authorization");
        given().header("Origin", "http://evil.clipflow.test:5173").header("Access-Control-Request-Method", "GET")
                .options(gateway() + "/api/nothing").then().statusCode(404).header("Access-Control-Allow-Origin", nullValue());
        Raw bigHeader = raw("GET /api/videos HTTP/1.1\r\nHost: localhost\r\nOrigin: " + allowed + "\r\nX-Big: "
                + "b".repeat(9000) + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeader.head).startsWith("HTTP/1.1 431").containsIgnoringCase("Access-Control-Allow-Origin: " + allowed);
        // what a service answers carries its own CORS headers, once (nginx adds none to proxied answers)
        Response proxied = given().header("Origin", allowed).get(gateway() + "/api/videos");
        assertThat(proxied.statusCode()).isEqualTo(401);
        assertThat(proxied.headers().getValues("Access-Control-Allow-Origin")).containsExactly(allowed);
    }

    @Test
    void whatTheHttpLayerRefusesIsAProblem() throws IOException {
        Raw badEscape = raw("GET /api/videos?page=%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(badEscape.head).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
        assertThat(badEscape.body).contains("\"code\":\"request.malformed_uri\"");

        Raw longLine = raw("GET /api/videos?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(longLine.head).startsWith("HTTP/1.1 414").containsIgnoringCase("content-type: application/problem+json");
        assertThat(longLine.body).contains("\"code\":\"request.uri_too_long\"");

        Raw bigHeader = raw("GET /api/videos HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(9000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeader.head).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/problem+json");
        assertThat(bigHeader.body).contains("\"code\":\"gateway.header_too_large\"");

        Raw garbage = raw("NONSENSE\r\n\r\n");
        assertThat(garbage.head).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
        assertThat(garbage.body).contains("\"code\":\"gateway.bad_request\"");
    }

    private record Raw(String head, String body) {
    }

    /** Bytes straight to the gateway: no HTTP client sends these requests as they are. */
    private static Raw raw(String request) throws IOException {
        URI uri = URI.create(gateway());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return end < 0 ? new Raw(response, "") : new Raw(response.substring(0, end), response.substring(end + 4));
        }
    }
}
