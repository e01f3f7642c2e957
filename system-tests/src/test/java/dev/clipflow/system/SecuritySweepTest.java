package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.testinfra.servers.JwtIssuer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every service's OpenAPI document and calls every operation it declares with no token,
 * a token signed by a foreign key, an unsigned ({@code alg: none}) token and a token of another
 * issuer: a secured operation must answer 401 problem+json every time, never 2xx. An operation
 * without a security requirement must be one of the deliberately public ones listed here.
 */
@ExtendWith(Stack.class)
class SecuritySweepTest {

    /** Operations that are public by design (login and friends, JWKS, share links, tus discovery). */
    private static final List<Pattern> PUBLIC = List.of(
            Pattern.compile("POST /api/auth/(register|activate|login|refresh|logout|password-reset|password-reset/confirm)"),
            Pattern.compile("GET /api/auth/(activate|jwks)"),
            Pattern.compile("(GET|HEAD) /api/share/.*"),
            Pattern.compile("OPTIONS /api/tus.*"),
            Pattern.compile("POST /internal/auth/token"));

    private static final Map<String, String> SERVICES = Map.of(
            "auth-service", "AUTH", "upload-service", "UPLOAD", "transcode-service", "TRANSCODE",
            "catalog-service", "CATALOG", "quota-service", "QUOTA");

    private static JwtIssuer foreign;

    @BeforeAll
    static void foreignIssuer() {
        // a key pair the platform has never seen, claiming the platform's issuer
        foreign = JwtIssuer.start(Stack.ISSUER);
    }

    @AfterAll
    static void close() {
        foreign.close();
    }

    record Operation(String service, String method, String path, String bodyType) {
        String url(int port) {
            return "http://127.0.0.1:" + port + path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        }

        @Override
        public String toString() {
            return service + " " + method + " " + path;
        }
    }

    @Test
    void everySecuredOperationRefusesBadTokens() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        UUID id = UUID.randomUUID();
        Map<String, Function<RequestSpecification, RequestSpecification>> attempts = Map.of(
                "no token", r -> r,
                "foreign key", r -> r.auth().oauth2(foreign.foreignSigned(id)),
                "foreign key, same claims", r -> r.auth().oauth2(foreign.admin(id)),
                "alg none", r -> r.auth().oauth2(foreign.unsigned(id)),
                "wrong issuer", r -> r.auth().oauth2(foreign.wrongIssuer(id)),
                "garbage cookie", r -> r.cookie("access_token", "x.y.z"));
        for (var service : SERVICES.entrySet()) {
            int port = Stack.get().port(service.getValue());
            for (Operation op : operations(service.getKey(), port, true)) {
                if (isPublic(op)) {
                    continue; // e.g. tus discovery (OPTIONS) is open by protocol even where the document marks it
                }
                for (var attempt : attempts.entrySet()) {
                    Response response = call(attempt.getValue().apply(given()), op, port);
                    checked++;
                    if (response.statusCode() != 401 || !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
                        failures.add(op + " with " + attempt.getKey() + " -> " + response.statusCode() + " "
                                + response.contentType());
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(failures).isEmpty();
    }

    @Test
    void everyUnsecuredOperationIsDeliberatelyPublic() {
        List<String> unexpected = new ArrayList<>();
        for (var service : SERVICES.entrySet()) {
            for (Operation op : operations(service.getKey(), Stack.get().port(service.getValue()), false)) {
                if (!isPublic(op)) {
                    unexpected.add(op.toString());
                }
            }
        }
        assertThat(unexpected).as("operations without a security requirement").isEmpty();
    }

    @Test
    void publicOperationsNeverFailWithA5xxOnJunk() {
        List<String> failures = new ArrayList<>();
        for (var service : SERVICES.entrySet()) {
            int port = Stack.get().port(service.getValue());
            for (Operation op : operations(service.getKey(), port, false)) {
                Response response = call(given().auth().oauth2(foreign.unsigned(UUID.randomUUID())), op, port);
                if (response.statusCode() >= 500) {
                    failures.add(op + " -> " + response.statusCode());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static boolean isPublic(Operation op) {
        String signature = op.method() + " " + op.path();
        return PUBLIC.stream().anyMatch(p -> p.matcher(signature).matches());
    }

    private static Response call(RequestSpecification request, Operation op, int port) {
        if (op.bodyType() != null) {
            request = request.contentType(op.bodyType());
            if (op.bodyType().contains("json")) {
                request = request.body("{}".getBytes());
            } else if (op.bodyType().contains("form-urlencoded")) {
                request = request.formParam("junk", "1");
            } else {
                request = request.body("x".getBytes());
            }
        }
        return request.redirects().follow(false).request(op.method(), op.url(port));
    }

    /** The operations of a service's OpenAPI document with (secured=true) or without a security requirement. */
    static List<Operation> operations(String service, int port, boolean secured) {
        JsonNode doc;
        try {
            doc = EventJson.mapper().readTree(given().get("http://127.0.0.1:" + port + "/q/openapi?format=json").asString());
        } catch (Exception e) {
            throw new IllegalStateException("No OpenAPI document from " + service, e);
        }
        boolean globalSecurity = doc.path("security").size() > 0;
        List<Operation> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").contains(method)) {
                    continue;
                }
                JsonNode security = op.getValue().get("security");
                boolean isSecured = security != null ? security.size() > 0 : globalSecurity;
                if (isSecured != secured) {
                    continue;
                }
                JsonNode content = op.getValue().path("requestBody").path("content");
                String bodyType = content.fieldNames().hasNext() ? content.fieldNames().next() : null;
                found.add(new Operation(service, method, path.getKey(), bodyType));
            }
        }
        return found;
    }
}
