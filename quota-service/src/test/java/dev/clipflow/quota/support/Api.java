package dev.clipflow.quota.support;

import dev.clipflow.testinfra.resources.JwtResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Calls of the quota API as upload-service, users and admins make them. */
public final class Api {

    private Api() {
    }

    public static String service() {
        return JwtResource.tokens().service("upload-service");
    }

    public static String user(UUID id) {
        return JwtResource.tokens().user(id);
    }

    public static String admin() {
        return JwtResource.tokens().admin(UUID.randomUUID());
    }

    /** A reservation body with a fresh reservation and video id. */
    public static Map<String, Object> reservation(UUID userId, long bytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reservationId", UUID.randomUUID().toString());
        body.put("userId", userId.toString());
        body.put("bytes", bytes);
        body.put("videoId", UUID.randomUUID().toString());
        body.put("fileName", "clip-" + bytes + ".mp4");
        return body;
    }

    public static Response reserve(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/internal/quota/reservations");
    }

    public static Response commit(String token, Object reservationId, Object body) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (body != null) {
            request.body(body);
        }
        return request.post("/internal/quota/reservations/{id}/commit", reservationId);
    }

    public static Response release(String token, Object reservationId) {
        return given().auth().oauth2(token).delete("/internal/quota/reservations/{id}", reservationId);
    }

    public static Response me(UUID userId) {
        return given().auth().oauth2(user(userId)).get("/api/quota/me");
    }

    public static void setLimits(UUID userId, long storage, long bandwidth) {
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("storageLimitBytes", storage, "bandwidthLimitBytes", bandwidth))
                .put("/api/admin/quota/{id}", userId).then().statusCode(200);
    }
}
