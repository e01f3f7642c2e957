package dev.clipflow.system;

import dev.clipflow.system.OpenApi.Operation;
import dev.clipflow.testinfra.servers.JwtIssuer;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every service's OpenAPI document and calls every operation it declares with no token,
 * a token signed by a foreign key, an unsigned ({@code alg: none}) token, a token of another
 * issuer and an expired token signed by auth-service's real key: a secured operation must answer
 * 401 problem+json every time, never 2xx. An operation without a security requirement must be one
 * of the deliberately public ones listed here. Every admin operation refuses an ordinary user's
 * valid token with 403. Routed paths are called through the gateway, internal ones directly.
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

    @Test
    void everySecuredOperationRefusesBadTokens() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        UUID id = UUID.randomUUID();
        // past any clock-skew leeway; claims admin, so only the expiry can refuse it
        String expired = StackTokens.expired(id, Duration.ofMinutes(5));
        Map<String, Function<RequestSpecification, RequestSpecification>> attempts = Map.of(
                "no token", r -> r,
                "foreign key", r -> r.auth().oauth2(foreign.foreignSigned(id)),
                "foreign key, same claims", r -> r.auth().oauth2(foreign.admin(id)),
                "alg none", r -> r.auth().oauth2(foreign.unsigned(id)),
                "wrong issuer", r -> r.auth().oauth2(foreign.wrongIssuer(id)),
                "garbage cookie", r -> r.cookie("access_token", "x.y.z"),
                "expired, signed by auth-service's key", r -> r.auth().oauth2(expired),
                "expired cookie, signed by auth-service's key", r -> r.cookie("access_token", expired));
        for (Operation op : OpenApi.all()) {
            if (!op.secured() || isPublic(op)) {
                continue; // e.g. tus discovery (OPTIONS) is open by protocol even where the document marks it
            }
            for (var attempt : attempts.entrySet()) {
                Response response = call(attempt.getValue().apply(given()), op);
                checked++;
                if (response.statusCode() != 401 || !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
                    failures.add(op + " with " + attempt.getKey() + " -> " + response.statusCode() + " "
                            + response.contentType());
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(failures).isEmpty();
    }

    @Test
    void everyUnsecuredOperationIsDeliberatelyPublic() {
        List<String> unexpected = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (!op.secured() && !isPublic(op)) {
                unexpected.add(op.toString());
            }
        }
        assertThat(unexpected).as("operations without a security requirement").isEmpty();
    }

    @Test
    void publicOperationsNeverFailWithA5xxOnJunk() {
        List<String> failures = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.secured()) {
                continue;
            }
            Response response = call(given().auth().oauth2(foreign.unsigned(UUID.randomUUID())), op);
            if (response.statusCode() >= 500) {
                failures.add(op + " -> " + response.statusCode());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theExpiredTokenCheckUsesTheRealKey() {
        // the control for "expired, signed by auth-service's key": the same key and issuer, unexpired, is accepted
        given().auth().oauth2(StackTokens.valid(UUID.randomUUID(), Set.of("user")))
                .get(Stack.get().gateway() + "/api/videos").then().statusCode(200);
    }

    /**
     * Every admin operation (under {@code /api/admin/}, or documented with the {@code admin} role) and the
     * admin-only variants OpenAPI cannot express, called with an ordinary user's valid token: 403 problem+json.
     */
    @Test
    void everyAdminOperationRefusesAnOrdinaryUser() {
        Users.User user = Users.signUp("Plain");
        List<String> failures = new ArrayList<>();
        List<Operation> admin = OpenApi.all().stream().filter(Operation::adminOnly).toList();
        assertThat(admin).extracting(Operation::signature).contains("POST /api/categories", "DELETE /api/categories/{id}",
                "POST /api/jobs/{jobId}/retry", "GET /api/admin/quota/{userId}", "PUT /api/admin/quota/{userId}",
                "GET /api/admin/users", "DELETE /api/admin/videos");
        for (Operation op : admin) {
            Response response = callSpec(given().auth().oauth2(user.accessToken()), op)
                    .request(op.method(), op.url(name -> user.id().toString()));
            expect403(failures, op.toString(), response);
            // confirmed bulk deletes are refused just the same
            if (op.method().equals("DELETE") && !op.hasPathParameters()) {
                expect403(failures, op + "?confirm=true", given().auth().oauth2(user.accessToken())
                        .queryParam("confirm", "true").delete(op.url(name -> "")));
            }
        }
        // contract: "Admin: GET /api/jobs?status= across all users". transcode-service answers a user's ?status=
        // with the user's own jobs only (a filter, not the admin view): a 403 or nothing of anyone else's.
        for (String status : List.of("FAILED", "QUEUED", "RUNNING", "SUCCEEDED")) {
            Response response = given().auth().oauth2(user.accessToken()).queryParam("status", status)
                    .get(Stack.get().gateway() + "/api/jobs");
            if (response.statusCode() != 403 && !(response.statusCode() == 200
                    && response.jsonPath().getList("items").isEmpty())) { // this user has no jobs at all
                failures.add("GET /api/jobs?status=" + status + " -> " + response.statusCode() + " " + response.asString());
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void expect403(List<String> failures, String what, Response response) {
        if (response.statusCode() != 403 || !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            failures.add(what + " -> " + response.statusCode() + " " + response.contentType() + " "
                    + response.asString().substring(0, Math.min(200, response.asString().length())));
        }
    }

    private static boolean isPublic(Operation op) {
        String signature = op.method() + " " + op.path();
        return PUBLIC.stream().anyMatch(p -> p.matcher(signature).matches());
    }

    private static Response call(RequestSpecification request, Operation op) {
        return callSpec(request, op).request(op.method(), op.urlWithRandomIds());
    }

    /** The request with a harmless body of the operation's first declared type, redirects not followed. */
    private static RequestSpecification callSpec(RequestSpecification request, Operation op) {
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
        return request.redirects().follow(false);
    }
}
