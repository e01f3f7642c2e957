package dev.clipflow.quota.usage;

import dev.clipflow.quota.account.QuotaMath;
import dev.clipflow.quota.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.quota.support.Api.admin;
import static dev.clipflow.quota.support.Api.me;
import static dev.clipflow.quota.support.Api.reservation;
import static dev.clipflow.quota.support.Api.reserve;
import static dev.clipflow.quota.support.Api.service;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class QuotaApiTest {

    @Test
    void newUserSeesTheConfiguredDefaults() {
        Instant periodStart = QuotaMath.periodStart(Instant.now());
        me(UUID.randomUUID()).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("storage.limitBytes", equalTo(52_428_800))
                .body("storage.usedBytes", equalTo(0))
                .body("storage.reservedBytes", equalTo(0))
                .body("storage.percentUsed", equalTo(0.0f))
                .body("storage.alert", equalTo(false))
                .body("bandwidth.limitBytes", equalTo(1_073_741_824))
                .body("bandwidth.usedBytes", equalTo(0))
                .body("bandwidth.periodStart", equalTo(periodStart.toString()))
                .body("bandwidth.periodEnd", equalTo(QuotaMath.periodEnd(periodStart).toString()))
                .body("bandwidth.percentUsed", equalTo(0.0f))
                .body("bandwidth.alert", equalTo(false))
                .body("deletions.count", equalTo(0))
                .body("deletions.bytes", equalTo(0))
                .body("files", empty());
    }

    @Test
    void openApiDocumentsThePublicAndInternalApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/quota/me"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/admin/quota/{userId}"))
                .body("paths", org.hamcrest.Matchers.hasKey("/internal/quota/reservations"))
                .body("paths", org.hamcrest.Matchers.hasKey("/internal/quota/reservations/{reservationId}/commit"))
                .body("paths", org.hamcrest.Matchers.hasKey("/internal/quota/reservations/{reservationId}"))
                .body("paths", org.hamcrest.Matchers.hasKey("/internal/quota/users/{userId}"));
    }

    @Test
    void serviceTokenHasNoQuotaOfItsOwn() {
        given().auth().oauth2(service()).get("/api/quota/me").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void adminSetsLimitsThatReservationsThenRespect() {
        UUID user = UUID.randomUUID();
        given().auth().oauth2(admin()).get("/api/admin/quota/{id}", user).then().statusCode(200)
                .body("userId", equalTo(user.toString()))
                .body("storageLimitBytes", equalTo(52_428_800))
                .body("bandwidthLimitBytes", equalTo(1_073_741_824));

        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("storageLimitBytes", 1000, "bandwidthLimitBytes", 5000))
                .put("/api/admin/quota/{id}", user).then().statusCode(200)
                .body("storageLimitBytes", equalTo(1000))
                .body("bandwidthLimitBytes", equalTo(5000))
                .body("storage.limitBytes", equalTo(1000));

        me(user).then().body("storage.limitBytes", equalTo(1000)).body("bandwidth.limitBytes", equalTo(5000));
        reserve(service(), reservation(user, 1001)).then().statusCode(403).body("code", equalTo("quota.storage_exceeded"));
        reserve(service(), reservation(user, 1000)).then().statusCode(201);
        given().auth().oauth2(admin()).get("/api/admin/quota/{id}", user).then().statusCode(200)
                .body("storage.reservedBytes", equalTo(1000)).body("storage.percentUsed", equalTo(100.0f))
                .body("storage.alert", equalTo(true));
    }

    @Test
    void putAcceptsItsOwnGetRepresentation() {
        UUID user = UUID.randomUUID();
        Map<String, Object> view = given().auth().oauth2(admin()).get("/api/admin/quota/{id}", user).then().statusCode(200)
                .extract().jsonPath().getMap("");
        Map<String, Object> changed = new java.util.HashMap<>(view);
        changed.put("storageLimitBytes", 4096);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(changed)
                .put("/api/admin/quota/{id}", user).then().statusCode(200)
                .body("storageLimitBytes", equalTo(4096)).body("userId", equalTo(user.toString()));
        me(user).then().body("storage.limitBytes", equalTo(4096));
    }

    @Test
    void userTokenOnAdminPathIs403() {
        UUID user = UUID.randomUUID();
        given().auth().oauth2(Api.user(user)).get("/api/admin/quota/{id}", user).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("auth.forbidden"));
        given().auth().oauth2(Api.user(user)).contentType(ContentType.JSON)
                .body(Map.of("storageLimitBytes", Long.MAX_VALUE / 1000, "bandwidthLimitBytes", 1))
                .put("/api/admin/quota/{id}", user).then().statusCode(403);
        given().auth().oauth2(service()).get("/api/admin/quota/{id}", user).then().statusCode(403);
        given().get("/api/admin/quota/{id}", user).then().statusCode(401);
        me(user).then().body("storage.limitBytes", equalTo(52_428_800));
    }

    @Test
    void badAdminInputIs400AndChangesNothing() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 2000, 3000);
        put(user.toString(), "{\"storageLimitBytes\":-1,\"bandwidthLimitBytes\":10}")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("request.invalid"));
        put(user.toString(), "{\"storageLimitBytes\":10}")
                .then().statusCode(400).contentType("application/problem+json");
        put(user.toString(), "{\"storageLimitBytes\":10,\"bandwidthLimitBytes\":10,\"plan\":\"gold\"}")
                .then().statusCode(400).body("code", equalTo("request.unknown_field"));
        put(user.toString(), "{\"storageLimitBytes\":10,\"bandwidthLimitBytes\":10,\"userId\":\"" + UUID.randomUUID() + "\"}")
                .then().statusCode(400).body("code", equalTo("request.read_only_field"));
        put(user.toString(), "{\"storageLimitBytes\":\"lots\",\"bandwidthLimitBytes\":10}")
                .then().statusCode(400).contentType("application/problem+json");
        put(user.toString(), "not json").then().statusCode(400).contentType("application/problem+json");
        put(user.toString(), "").then().statusCode(400).contentType("application/problem+json");
        put("not-a-uuid", "{\"storageLimitBytes\":10,\"bandwidthLimitBytes\":10}")
                .then().statusCode(400).body("code", equalTo("request.invalid_id"));
        given().auth().oauth2(admin()).get("/api/admin/quota/{id}", "12345").then().statusCode(400)
                .contentType("application/problem+json");
        me(user).then().body("storage.limitBytes", equalTo(2000)).body("bandwidth.limitBytes", equalTo(3000));
    }

    private static io.restassured.response.Response put(String userId, String json) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(json)
                .put("/api/admin/quota/{id}", userId);
    }
}
