package dev.clipflow.quota.reservation;

import dev.clipflow.quota.reservation.service.ReservationSweeper;
import dev.clipflow.quota.support.Api;
import dev.clipflow.quota.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.quota.support.Api.commit;
import static dev.clipflow.quota.support.Api.me;
import static dev.clipflow.quota.support.Api.release;
import static dev.clipflow.quota.support.Api.reservation;
import static dev.clipflow.quota.support.Api.reserve;
import static dev.clipflow.quota.support.Api.service;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ReservationApiTest {

    private static final long MB = 1_000_000;

    @Inject
    TestClock clock;

    @Inject
    ReservationSweeper sweeper;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void reserveCommitShowsTheFileAndUsedStorage() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 10 * MB);
        reserve(service(), body).then().statusCode(201)
                .body("reservationId", equalTo(body.get("reservationId")))
                .body("storage.limitBytes", equalTo(52_428_800))
                .body("storage.usedBytes", equalTo(0))
                .body("storage.reservedBytes", equalTo(10_000_000))
                .body("storage.percentUsed", equalTo(19.1f))
                .body("storage.alert", equalTo(false));

        commit(service(), body.get("reservationId"), null).then().statusCode(200)
                .body("storage.usedBytes", equalTo(10_000_000))
                .body("storage.reservedBytes", equalTo(0));

        me(user).then().statusCode(200)
                .body("storage.usedBytes", equalTo(10_000_000))
                .body("storage.reservedBytes", equalTo(0))
                .body("files", hasSize(1))
                .body("files[0].videoId", equalTo(body.get("videoId")))
                .body("files[0].fileName", equalTo(body.get("fileName")))
                .body("files[0].sizeBytes", equalTo(10_000_000));
    }

    @Test
    void repeatedReservationIsIdempotent() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 5 * MB);
        reserve(service(), body).then().statusCode(201);
        reserve(service(), body).then().statusCode(200)
                .body("reservationId", equalTo(body.get("reservationId")))
                .body("storage.reservedBytes", equalTo(5_000_000));
        me(user).then().body("storage.reservedBytes", equalTo(5_000_000));

        commit(service(), body.get("reservationId"), null).then().statusCode(200);
        commit(service(), body.get("reservationId"), null).then().statusCode(200)
                .body("storage.usedBytes", equalTo(5_000_000));
        reserve(service(), body).then().statusCode(200);
        me(user).then().body("storage.usedBytes", equalTo(5_000_000)).body("storage.reservedBytes", equalTo(0))
                .body("files", hasSize(1));
    }

    @Test
    void sameReservationIdWithAnotherSizeIsAConflict() {
        Map<String, Object> body = reservation(UUID.randomUUID(), 5 * MB);
        reserve(service(), body).then().statusCode(201);
        body.put("bytes", 6 * MB);
        reserve(service(), body).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("quota.reservation_conflict"));
    }

    @Test
    void overTheLimitIsRefusedWithTheFigures() {
        UUID user = UUID.randomUUID();
        reserve(service(), reservation(user, 50 * MB)).then().statusCode(201);
        reserve(service(), reservation(user, 3 * MB)).then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("quota.storage_exceeded"))
                .body("storage.limitBytes", equalTo(52_428_800))
                .body("storage.reservedBytes", equalTo(50_000_000))
                .body("availableBytes", equalTo(2_428_800));
        reserve(service(), reservation(user, 2_428_800)).then().statusCode(201)
                .body("storage.percentUsed", equalTo(100.0f));
        me(user).then().body("storage.reservedBytes", equalTo(52_428_800));
    }

    @Test
    void releaseGivesTheBytesBackAndIsIdempotent() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 40 * MB);
        reserve(service(), body).then().statusCode(201);
        release(service(), body.get("reservationId")).then().statusCode(204);
        release(service(), body.get("reservationId")).then().statusCode(204);
        release(service(), UUID.randomUUID()).then().statusCode(204);
        me(user).then().body("storage.reservedBytes", equalTo(0)).body("files", empty());
        reserve(service(), reservation(user, 40 * MB)).then().statusCode(201);
    }

    @Test
    void commitOfAnUnknownOrReleasedReservationIs404() {
        Map<String, Object> body = reservation(UUID.randomUUID(), MB);
        reserve(service(), body).then().statusCode(201);
        release(service(), body.get("reservationId")).then().statusCode(204);
        commit(service(), body.get("reservationId"), null).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("quota.reservation_not_found"));
        commit(service(), UUID.randomUUID(), null).then().statusCode(404);
    }

    @Test
    void commitChargesTheFinalSize() {
        UUID user = UUID.randomUUID();
        Map<String, Object> smaller = reservation(user, 10 * MB);
        reserve(service(), smaller).then().statusCode(201);
        commit(service(), smaller.get("reservationId"), Map.of("sizeBytes", 7 * MB)).then().statusCode(200)
                .body("storage.usedBytes", equalTo(7_000_000)).body("storage.reservedBytes", equalTo(0));

        Map<String, Object> tooBig = reservation(user, 10 * MB);
        reserve(service(), tooBig).then().statusCode(201);
        commit(service(), tooBig.get("reservationId"), Map.of("sizeBytes", 60 * MB)).then().statusCode(403)
                .body("code", equalTo("quota.storage_exceeded"));
        me(user).then().body("storage.usedBytes", equalTo(7_000_000)).body("storage.reservedBytes", equalTo(10_000_000));
    }

    @Test
    void expiredReservationsAreReleasedBySweeper() {
        UUID user = UUID.randomUUID();
        Map<String, Object> shortLived = reservation(user, 20 * MB);
        shortLived.put("expiresAt", Instant.now().plus(Duration.ofMinutes(10)).toString());
        Map<String, Object> defaultTtl = reservation(user, 5 * MB);
        reserve(service(), shortLived).then().statusCode(201);
        reserve(service(), defaultTtl).then().statusCode(201);

        sweeper.sweepExpired();
        me(user).then().body("storage.reservedBytes", equalTo(25_000_000));

        clock.advance(Duration.ofMinutes(11));
        sweeper.sweepExpired();
        me(user).then().body("storage.reservedBytes", equalTo(5_000_000));
        commit(service(), shortLived.get("reservationId"), null).then().statusCode(404);

        clock.advance(Duration.ofHours(25));
        sweeper.sweepExpired();
        me(user).then().body("storage.reservedBytes", equalTo(0));
    }

    @Test
    void onlyServicesReserveCommitOrRelease() {
        UUID user = UUID.randomUUID();
        Map<String, Object> own = reservation(user, MB);
        // not even for themselves: a user committing their own reservation with sizeBytes 1 would store more than the limit
        reserve(Api.user(user), own).then().statusCode(403).contentType("application/problem+json");
        me(user).then().body("storage.reservedBytes", equalTo(0));
        reserve(service(), own).then().statusCode(201);
        commit(Api.user(user), own.get("reservationId"), Map.of("sizeBytes", 1)).then().statusCode(403)
                .contentType("application/problem+json");
        release(Api.user(user), own.get("reservationId")).then().statusCode(403);
        release(Api.user(UUID.randomUUID()), own.get("reservationId")).then().statusCode(403);
        me(user).then().body("storage.reservedBytes", equalTo(1_000_000)).body("storage.usedBytes", equalTo(0));
        commit(service(), own.get("reservationId"), null).then().statusCode(200);
        given().auth().oauth2(Api.user(UUID.randomUUID())).get("/internal/quota/users/{id}", user)
                .then().statusCode(403);
        given().auth().oauth2(service()).get("/internal/quota/users/{id}", user)
                .then().statusCode(200).body("storage.usedBytes", equalTo(1_000_000));
        given().get("/internal/quota/users/{id}", user).then().statusCode(401);
    }

    @Test
    void badReservationsAre400AndChangeNothing() {
        UUID user = UUID.randomUUID();
        Map<String, Object> negative = reservation(user, MB);
        negative.put("bytes", -1);
        reserve(service(), negative).then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> missing = reservation(user, MB);
        missing.remove("videoId");
        reserve(service(), missing).then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> notUuid = reservation(user, MB);
        notUuid.put("userId", "bob");
        reserve(service(), notUuid).then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> unknown = reservation(user, MB);
        unknown.put("priority", "high");
        reserve(service(), unknown).then().statusCode(400).body("code", equalTo("request.unknown_field"));
        Map<String, Object> past = reservation(user, MB);
        past.put("expiresAt", Instant.now().minusSeconds(60).toString());
        reserve(service(), past).then().statusCode(400).body("code", equalTo("quota.invalid_expiry"));
        given().auth().oauth2(service()).contentType(ContentType.JSON).body("{\"reservationId\":")
                .post("/internal/quota/reservations").then().statusCode(400);
        given().auth().oauth2(service()).contentType(ContentType.JSON)
                .post("/internal/quota/reservations").then().statusCode(400);
        commit(service(), "not-a-uuid", null).then().statusCode(400).body("code", equalTo("request.invalid_id"));
        commit(service(), UUID.randomUUID(), Map.of("sizeBytes", -5)).then().statusCode(400);
        release(service(), "42").then().statusCode(400);
        me(user).then().body("storage.reservedBytes", equalTo(0)).body("storage.usedBytes", equalTo(0));
    }
}
