package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.system.OpenApi.Operation;
import io.restassured.path.json.JsonPath;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;

/**
 * One of each resource a user owns, made the way clients make them: a READY private video (with its
 * transcode job and a share link), an open upload session and an open tus upload. The sweeps fill
 * OpenAPI path parameters from it.
 */
record Owned(Users.User user, String word, UUID videoId, UUID uploadId, UUID tusId, UUID jobId, String shareToken,
        byte[] thumbnail, UUID webhookId) {

    static Owned create(Users.User user, Path dir) {
        String word = Videos.unique();
        UUID video = Videos.uploadChunked(user, Media.clip(dir, word + ".mp4", 320, 240, 1.0), "Private " + word, "Vlog");
        Videos.awaitReady(user, video);
        JsonPath session = given().auth().oauth2(user.accessToken()).contentType("application/json")
                .body(Map.of("fileName", word + "-session.mp4", "size", 1000, "title", "Session " + word))
                .post(url("/api/uploads")).then().statusCode(201).extract().jsonPath();
        String location = given().auth().oauth2(user.accessToken()).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "1000")
                .header("Upload-Metadata", "filename " + java.util.Base64.getEncoder().encodeToString((word + "-tus.mp4").getBytes()))
                .post(url("/api/tus")).then().statusCode(201).extract().header("Location");
        List<String> jobs = given().auth().oauth2(user.accessToken()).queryParam("videoId", video).get(url("/api/jobs"))
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        String share = given().auth().oauth2(user.accessToken()).contentType("application/json")
                .body(Map.of("expiresInSeconds", 3600)).post(url("/api/videos/" + video + "/share"))
                .then().statusCode(201).extract().jsonPath().getString("token");
        given().auth().oauth2(user.accessToken()).contentType("text/vtt")
                .body("WEBVTT\n\n00:00.000 --> 00:00.900\nCaptions of " + word + "\n")
                .put(url("/api/videos/" + video + "/captions/en")).then().statusCode(201);
        // the caption's size reaches quota through video.stored: wait for it, or a snapshot taken now is stale
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> files = given().auth().oauth2(user.accessToken()).get(url("/api/quota/me"))
                    .then().statusCode(200).extract().jsonPath().getList("files");
            return files.stream().anyMatch(f -> video.toString().equals(f.get("videoId"))
                    && f.get("captionsBytes") instanceof Number n && n.longValue() > 0);
        });
        byte[] thumbnail = given().auth().oauth2(user.accessToken()).get(url("/api/videos/" + video + "/thumbnail"))
                .then().statusCode(200).extract().asByteArray();
        // a webhook endpoint (the local stack allows loopback targets; nothing listens on the discard port)
        String webhook = given().auth().oauth2(user.accessToken()).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/" + word, "eventTypes", List.of("video.ready")))
                .post(url("/api/webhooks")).then().statusCode(201).extract().jsonPath().getString("id");
        return new Owned(user, word, video, UUID.fromString(session.getString("uploadId")),
                UUID.fromString(location.substring(location.lastIndexOf('/') + 1)), UUID.fromString(jobs.get(0)), share,
                thumbnail, UUID.fromString(webhook));
    }

    /** The value of a path parameter of {@code op} that names this user's resource of that kind. */
    String parameter(Operation op, String name) {
        return switch (name) {
            case "uploadId" -> (op.path().startsWith("/api/tus/") ? tusId : uploadId).toString();
            case "reservationId" -> uploadId.toString(); // upload-service reserves under the upload id
            case "index" -> "0";
            case "jobId" -> jobId.toString();
            case "userId" -> user.id().toString();
            case "token" -> shareToken;
            case "path" -> "master.m3u8";
            case "root" -> videoId.toString(); // the media root of the owner's READY video: the video itself
            case "lang" -> "en";
            case "id" -> (op.path().startsWith("/api/admin/users/") ? user.id()
                    : op.path().startsWith("/api/webhooks/") ? webhookId : videoId).toString();
            default -> UUID.randomUUID().toString();
        };
    }

    /** The owner's resources as the owner sees them now. */
    State state() {
        return State.of(this);
    }

    /**
     * Asserts the owner's resources are as {@code before} once what the attempts started has ended: a
     * refused direct upload's admission is released after its response (a 4xx may be read before that), so
     * a short-lived difference is waited out; a lasting one fails with the last difference.
     */
    void assertUnchanged(State before, String what) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(250))
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(state()).as(what).isEqualTo(before));
    }

    /** What another user or bad input must not change. */
    record State(String quota, List<String> uploads, List<String> videos, String video, String session, String tusOffset,
            List<String> categories) {

        static State of(Owned owned) {
            String token = owned.user().accessToken();
            JsonNode quota = read(given().auth().oauth2(token).get(url("/api/quota/me")).asString());
            ((ObjectNode) quota).remove("bandwidth"); // serving the thumbnail to the sweep counts; storage must not change
            return new State(quota.toString(),
                    given().auth().oauth2(token).queryParam("size", 100).get(url("/api/uploads")).then().statusCode(200)
                            .extract().jsonPath().getList("items.uploadId"),
                    given().auth().oauth2(token).queryParam("size", 100).get(url("/api/videos")).then().statusCode(200)
                            .extract().jsonPath().getList("items.id"),
                    withoutVolatile(given().auth().oauth2(token).get(url("/api/videos/" + owned.videoId())).asString()),
                    given().auth().oauth2(token).get(url("/api/uploads/" + owned.uploadId())).then().statusCode(200)
                            .extract().asString(),
                    given().auth().oauth2(token).header("Tus-Resumable", "1.0.0").head(url("/api/tus/" + owned.tusId()))
                            .then().statusCode(200).extract().header("Upload-Offset"),
                    given().auth().oauth2(token).get(url("/api/categories")).then().statusCode(200)
                            .extract().jsonPath().getList("name"));
        }

        private static String withoutVolatile(String video) {
            ObjectNode node = (ObjectNode) read(video);
            node.remove("updatedAt");
            return node.toString();
        }

        private static JsonNode read(String json) {
            try {
                return EventJson.mapper().readTree(json);
            } catch (Exception e) {
                throw new IllegalStateException(json, e);
            }
        }
    }
}
