package dev.clipflow.system;

import dev.clipflow.system.OpenApi.Operation;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alice owns one of each resource (a READY private video with its job and share link, an upload session,
 * a tus upload); Bob, another valid user, calls every OpenAPI operation that names a resource (by path
 * parameter, or by id in its body) with Alice's ids. The contract's answer is 404, as if the resource did not
 * exist; never a 2xx, never her data in the body, and nothing of hers changes. Bob's lists and searches
 * never show her private items either.
 */
@ExtendWith(Stack.class)
class OwnershipSweepTest {

    /**
     * Operations whose answer to another user's id is not 404, and why. Everything else must be 404.
     * Admin-only operations answer 403 to every non-admin (checked for all of them in SecuritySweepTest).
     */
    private static final Map<String, Set<Integer>> NOT_404 = Map.of(
            // the internal quota API: reservations take service tokens only, a user's figures their own token
            "DELETE /internal/quota/reservations/{reservationId}", Set.of(403),
            "POST /internal/quota/reservations/{reservationId}/commit", Set.of(403),
            "GET /internal/quota/users/{userId}", Set.of(403),
            "POST /internal/quota/reservations", Set.of(403));

    /**
     * Reads of a PLATFORM video that stay with its owner (and admins): the uploaded original is the owner's file,
     * the platform publishes only what it transcoded from it. Another user gets 403 {@code video.not_owner}.
     */
    private static final Set<String> OWNER_ONLY_READS = Set.of(
            "GET /api/videos/{id}/original", "HEAD /api/videos/{id}/original");

    /** Public by design: the share token is the capability to watch (contract: share links work without auth). */
    private static final String SHARE = "/api/share/";

    private static Owned alice;
    private static Users.User bob;

    @BeforeAll
    static void aliceAndBob(@TempDir Path dir) {
        alice = Owned.create(Users.signUp("Alice"), dir);
        bob = Users.signUp("Bob");
    }

    @Test
    void anotherUsersResourcesAreNotFound() throws Exception {
        Owned.State before = alice.state();
        List<Operation> operations = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.path().startsWith(SHARE)) {
                continue; // public by design, see SHARE
            }
            boolean namesAResource = op.hasPathParameters()
                    || (op.jsonBody() && carriesAlicesIds(Samples.valid(op, alice).toString()));
            if (namesAResource && op.secured()) {
                operations.add(op);
            }
        }
        assertThat(operations).extracting(Operation::signature).contains("GET /api/videos/{id}",
                "PUT /api/uploads/{uploadId}/chunks/{index}", "PATCH /api/tus/{uploadId}", "GET /api/jobs/{jobId}",
                "POST /api/videos/merge");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<String> failures = new ArrayList<>();
        try {
            Map<Operation, Future<Response>> responses = new LinkedHashMap<>();
            for (Operation op : operations) {
                responses.put(op, pool.submit(() -> asBob(op)));
            }
            for (var entry : responses.entrySet()) {
                String failure = judge(entry.getKey(), entry.getValue().get());
                if (failure != null) {
                    failures.add(failure);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        alice.assertUnchanged(before, "Alice's resources after Bob's attempts");
    }

    /**
     * Contract: a PLATFORM video may be listed, watched and streamed by every signed-in user; only the owner
     * or an admin may change or delete it. So Bob's reads of it succeed and everything else is refused.
     */
    @Test
    void aPlatformVideoIsWatchableButNotChangeableByAnotherUser() throws Exception {
        setVisibility("PLATFORM");
        List<String> failures = new ArrayList<>();
        try {
            Owned.State before = alice.state();
            for (Operation op : OpenApi.all()) {
                boolean namesTheVideo = op.path().startsWith("/api/videos/{id}")
                        || (op.jsonBody() && Samples.valid(op, alice).toString().contains(alice.videoId().toString()));
                if (!namesTheVideo || !op.secured()) {
                    continue;
                }
                Response response = asBob(op);
                int status = response.statusCode();
                boolean read = (op.method().equals("GET") || op.method().equals("HEAD"))
                        && !OWNER_ONLY_READS.contains(op.signature());
                if (read ? status >= 300 : status != 403 && status != 404) {
                    failures.add(op.signature() + " -> " + status + ": " + excerpt(response));
                }
            }
            alice.assertUnchanged(before, "Alice's resources after Bob's attempts");
        } finally {
            setVisibility("PRIVATE");
        }
        assertThat(failures).isEmpty();
    }

    private static void setVisibility(String visibility) {
        given().auth().oauth2(alice.user().accessToken()).contentType("application/json")
                .body(Map.of("visibility", visibility)).patch(Stack.get().gateway() + "/api/videos/" + alice.videoId())
                .then().statusCode(200);
    }

    @Test
    void listsAndSearchesNeverShowAnotherUsersPrivateItems() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Operation op : OpenApi.all()) {
            if (!op.method().equals("GET") || op.hasPathParameters() || !op.secured() || op.adminOnly()) {
                continue;
            }
            for (Map<String, String> query : queries()) {
                Response response = given().auth().oauth2(bob.accessToken()).queryParams(query).get(op.url(name -> ""));
                checked++;
                if (response.statusCode() >= 500 || leaks(response.asString())) {
                    failures.add(op.signature() + " " + query + " -> " + response.statusCode() + " " + excerpt(response));
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(failures).isEmpty();
    }

    /** No parameters, then each filter the list operations know, with Alice's values. */
    private static List<Map<String, String>> queries() {
        List<Map<String, String>> queries = new ArrayList<>();
        queries.add(Map.of());
        queries.add(Map.of("q", alice.word()));
        queries.add(Map.of("q", alice.word(), "scope", "all"));
        queries.add(Map.of("scope", "all", "size", "100"));
        queries.add(Map.of("videoId", alice.videoId().toString()));
        queries.add(Map.of("status", "SUCCEEDED", "size", "100"));
        queries.add(Map.of("status", "READY", "scope", "all", "size", "100"));
        queries.add(Map.of("category", "Vlog", "scope", "all", "size", "100"));
        queries.add(Map.of("ownerId", alice.user().id().toString(), "scope", "all"));
        return queries;
    }

    private static Response asBob(Operation op) {
        RequestSpecification request = given().auth().oauth2(bob.accessToken()).redirects().follow(false);
        String type = op.bodyType();
        if (op.path().startsWith("/api/tus")) {
            request = request.header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0");
        }
        if (type != null && op.jsonBody()) {
            request = request.contentType(type).body(Samples.valid(op, alice).toString());
        } else if ("PATCH /api/tus/{uploadId}".equals(op.signature())) {
            request = request.contentType("application/offset+octet-stream").body(new byte[1000]);
        } else if ("PUT /api/uploads/{uploadId}/chunks/{index}".equals(op.signature())) {
            request = request.contentType("application/octet-stream").body(new byte[1000]);
        } else if (type != null && type.startsWith("image/")) {
            request = request.contentType(type).body(alice.thumbnail());
        } else if (type != null && type.startsWith("multipart/")) {
            request = request.multiPart("file", "x.mp4", new byte[] {0});
        } else if (type != null) {
            request = request.contentType(type.contains("*") ? "application/octet-stream" : type).body(new byte[] {0});
        }
        return request.request(op.method(), op.url(name -> alice.parameter(op, name)));
    }

    private static String judge(Operation op, Response response) {
        int status = response.statusCode();
        Set<Integer> allowed = op.adminOnly() ? Set.of(403) : NOT_404.getOrDefault(op.signature(), Set.of(404));
        String body = response.asString();
        if (!allowed.contains(status)) {
            return op.signature() + " -> " + status + " (expected " + allowed + "): " + excerpt(response);
        }
        if (leaks(body)) {
            return op.signature() + " -> " + status + " shows Alice's data: " + excerpt(response);
        }
        if (status >= 400 && !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
            return op.signature() + " -> " + status + " is not problem+json: " + response.contentType();
        }
        return null;
    }

    private static boolean carriesAlicesIds(String json) {
        return json.contains(alice.videoId().toString()) || json.contains(alice.user().id().toString())
                || json.contains(alice.uploadId().toString());
    }

    /** Alice's private data in a response Bob got (her id alone may echo what Bob sent; these he did not send). */
    private static boolean leaks(String body) {
        return body.contains(alice.word()) && !body.contains("\"detail\"") // a problem may echo the search term
                || body.contains(alice.user().email())
                || body.contains(alice.uploadId().toString()) && !body.contains("\"detail\"")
                || body.contains(alice.tusId().toString()) && !body.contains("\"detail\"")
                || body.contains(alice.jobId().toString()) && !body.contains("\"detail\"")
                || body.contains(alice.videoId().toString()) && !body.contains("\"detail\"")
                || body.contains(Base64.getEncoder().encodeToString(alice.thumbnail()).substring(0, 40));
    }

    private static String excerpt(Response response) {
        String body = response.asString();
        return body.substring(0, Math.min(200, body.length()));
    }
}
