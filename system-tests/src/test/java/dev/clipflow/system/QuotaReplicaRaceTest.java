package dev.clipflow.system;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two quota-service replicas on the same MongoDB: reservations fired at both at once never take a
 * user past the limit, exactly as many succeed as fit, and commits and releases racing on both
 * replicas keep the figures exact.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class QuotaReplicaRaceTest {

    private static final long LIMIT = 10_000;

    private record Answer(int status, String code) {
    }

    @Test
    void reservationsRacingOnTwoReplicasNeverPassTheLimit() throws Exception {
        Stack.get().withSecondReplica("quota-service", "QUOTA", replicas -> {
            race(replicas);
            firstSightOfAUserOnBothReplicas(replicas);
        });
    }

    private void race(List<String> replicas) throws Exception {
        Users.User fay = Users.signUp("Fay");
        given().auth().oauth2(Users.admin().accessToken()).contentType("application/json")
                .body(Map.of("storageLimitBytes", LIMIT, "bandwidthLimitBytes", 1L << 30))
                .put(url("/api/admin/quota/" + fay.id())).then().statusCode(200);
        String token = serviceToken();

        // 1. 40 reservations of 700 bytes at once, split across the replicas: 14 fit (9,800 bytes)
        Map<UUID, Integer> reserved = new HashMap<>();
        List<Callable<Answer>> burst = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            burst.add(reserve(replicas.get(i % 2), token, fay.id(), id, 700));
        }
        List<Answer> answers = all(burst);
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            assertThat(answer.status()).as("reservation %d: %s", i, answer).isIn(201, 403);
            if (answer.status() == 201) {
                reserved.put(ids.get(i), i);
            } else {
                assertThat(answer.code()).isEqualTo("quota.storage_exceeded");
            }
        }
        assertThat(reserved).hasSize(14);
        assertStorage(replicas, token, fay.id(), 0, 14 * 700);

        // a repeated reservation on the other replica is the same reservation
        UUID again = reserved.keySet().iterator().next();
        assertThat(all(List.of(reserve(replicas.get((reserved.get(again) + 1) % 2), token, fay.id(), again, 700))))
                .containsExactly(new Answer(200, null));
        assertStorage(replicas, token, fay.id(), 0, 14 * 700);

        // 2. at once, on both replicas each: 7 commits (smaller than reserved) and 7 releases
        List<Callable<Answer>> settle = new ArrayList<>();
        long committed = 0;
        int n = 0;
        for (UUID id : reserved.keySet()) {
            boolean commit = n++ % 2 == 0;
            long size = 500 + n;
            if (commit) {
                committed += size;
            }
            for (String base : replicas) {
                settle.add(commit ? commit(base, token, id, size) : release(base, token, id));
            }
        }
        assertThat(all(settle)).allSatisfy(answer -> assertThat(answer.status()).as("%s", answer).isIn(200, 204));
        assertStorage(replicas, token, fay.id(), committed, 0);
        long committedBytes = committed;
        JsonPath quota = given().auth().oauth2(fay.accessToken()).get(url("/api/quota/me"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(quota.getList("files.sizeBytes", Long.class)).hasSize(7)
                .satisfies(sizes -> assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(committedBytes));

        // 3. what is left is filled exactly: 30 reservations of 600 bytes at once
        long left = LIMIT - committed;
        List<Callable<Answer>> fill = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fill.add(reserve(replicas.get(i % 2), token, fay.id(), UUID.randomUUID(), 600));
        }
        List<Answer> filled = all(fill);
        assertThat(filled).allSatisfy(answer -> assertThat(answer.status()).as("%s", answer).isIn(201, 403));
        long accepted = filled.stream().filter(answer -> answer.status() == 201).count();
        assertThat(accepted).isEqualTo(left / 600);
        assertStorage(replicas, token, fay.id(), committed, accepted * 600);
    }

    /**
     * A user quota-service has never seen: both replicas create the document with the default limit
     * at the same moment, and still exactly as many reservations succeed as fit.
     */
    private void firstSightOfAUserOnBothReplicas(List<String> replicas) throws Exception {
        String token = serviceToken();
        UUID user = UUID.randomUUID();
        long limit = given().auth().oauth2(Users.admin().accessToken()).get(url("/api/admin/quota/" + UUID.randomUUID()))
                .then().statusCode(200).extract().jsonPath().getLong("storageLimitBytes");
        long bytes = limit / 10 + 1;
        List<Callable<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            burst.add(reserve(replicas.get(i % 2), token, user, UUID.randomUUID(), bytes));
        }
        List<Answer> answers = all(burst);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as("%s", answer).isIn(201, 403));
        assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(9);
        JsonPath storage = given().auth().oauth2(token).get(replicas.get(0) + "/internal/quota/users/" + user)
                .then().statusCode(200).extract().jsonPath();
        assertThat(storage.getLong("storage.reservedBytes")).isEqualTo(9 * bytes);
    }

    private static void assertStorage(List<String> replicas, String token, UUID user, long used, long reserved) {
        for (String base : replicas) {
            JsonPath storage = given().auth().oauth2(token).get(base + "/internal/quota/users/" + user)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(storage.getLong("storage.limitBytes")).isEqualTo(LIMIT);
            assertThat(storage.getLong("storage.usedBytes")).as("used bytes on %s", base).isEqualTo(used);
            assertThat(storage.getLong("storage.reservedBytes")).as("reserved bytes on %s", base).isEqualTo(reserved);
        }
    }

    private static Callable<Answer> reserve(String base, String token, UUID user, UUID id, long bytes) {
        return () -> answer(given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("reservationId", id, "userId", user, "bytes", bytes, "videoId", UUID.randomUUID(),
                        "fileName", "clip-" + id + ".mp4"))
                .post(base + "/internal/quota/reservations"));
    }

    private static Callable<Answer> commit(String base, String token, UUID id, long size) {
        return () -> answer(given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("sizeBytes", size))
                .post(base + "/internal/quota/reservations/" + id + "/commit"));
    }

    private static Callable<Answer> release(String base, String token, UUID id) {
        return () -> answer(given().auth().oauth2(token).delete(base + "/internal/quota/reservations/" + id));
    }

    private static Answer answer(Response response) {
        String code = response.statusCode() >= 400 ? response.jsonPath().getString("code") : null;
        return new Answer(response.statusCode(), code);
    }

    /** Runs every call at the same moment (as far as 16 threads allow); the answers in call order. */
    private static List<Answer> all(List<Callable<Answer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (Callable<Answer> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A service token from auth-service (client credentials of upload-service, from the stack's secrets). */
    private static String serviceToken() {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", "upload-service")
                .formParam("client_secret", Stack.get().secret("UPLOAD_CLIENT_SECRET"))
                .post(Stack.get().service("AUTH") + "/internal/auth/token")
                .then().statusCode(200).extract().jsonPath().getString("access_token");
    }
}
