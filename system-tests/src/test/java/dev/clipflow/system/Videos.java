package dev.clipflow.system;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a client does with videos, through the gateway. */
final class Videos {

    private Videos() {
    }

    static String url(String path) {
        return Stack.get().gateway() + path;
    }

    /** Creates a session, sends the chunks in parallel and in reverse order, completes; returns the video id. */
    static UUID uploadChunked(Users.User user, Path file, String title, String category) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonPath session = given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("fileName", file.getFileName().toString(), "size", bytes.length,
                            "chunkSize", Math.max(64 * 1024, bytes.length / 4 + 1), "sha256", Media.sha256(file),
                            "title", title, "description", "A journey of " + title, "category", category,
                            "contentType", "video/mp4"))
                    .post(url("/api/uploads"))
                    .then().statusCode(201).extract().jsonPath();
            String uploadId = session.getString("uploadId");
            int chunkSize = session.getInt("chunkSize");
            int total = session.getInt("totalChunks");
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                order.add(i);
            }
            Collections.reverse(order);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> sent = new ArrayList<>();
                for (int index : order) {
                    int from = index * chunkSize;
                    byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkSize));
                    sent.add(pool.submit(() -> given().auth().oauth2(user.accessToken())
                            .contentType("application/octet-stream")
                            .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(
                                    MessageDigest.getInstance("SHA-256").digest(chunk)))
                            .body(chunk)
                            .put(url("/api/uploads/" + uploadId + "/chunks/" + index)).statusCode()));
                }
                for (Future<Integer> status : sent) {
                    assertThat(status.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdown();
            }
            String videoId = given().auth().oauth2(user.accessToken())
                    .post(url("/api/uploads/" + uploadId + "/complete"))
                    .then().statusCode(202).extract().jsonPath().getString("videoId");
            assertThat(videoId).isEqualTo(session.getString("videoId"));
            return UUID.fromString(videoId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An upload session and the bytes it is for. */
    record Upload(String uploadId, UUID videoId, int chunkSize, int totalChunks, byte[] bytes) {
    }

    /** Creates an upload session for a file (with its sha256) without sending anything yet. */
    static Upload startUpload(Users.User user, Path file, int chunkSize) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonPath session = given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("fileName", file.getFileName().toString(), "size", bytes.length,
                            "chunkSize", chunkSize, "sha256", Media.sha256(file), "title", file.getFileName().toString()))
                    .post(url("/api/uploads")).then().statusCode(201).extract().jsonPath();
            return new Upload(session.getString("uploadId"), UUID.fromString(session.getString("videoId")),
                    session.getInt("chunkSize"), session.getInt("totalChunks"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one chunk with its SHA-256 digest; expects 200. */
    static void putChunk(Users.User user, Upload upload, int index) {
        try {
            byte[] chunk = java.util.Arrays.copyOfRange(upload.bytes(), index * upload.chunkSize(),
                    Math.min(upload.bytes().length, (index + 1) * upload.chunkSize()));
            given().auth().oauth2(user.accessToken()).contentType("application/octet-stream")
                    .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(chunk)))
                    .body(chunk).put(url("/api/uploads/" + upload.uploadId() + "/chunks/" + index))
                    .then().statusCode(200);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes an upload whose chunks are all there; expects 202. */
    static void complete(Users.User user, Upload upload) {
        given().auth().oauth2(user.accessToken()).post(url("/api/uploads/" + upload.uploadId() + "/complete"))
                .then().statusCode(202);
    }

    static JsonPath get(Users.User user, UUID videoId) {
        return given().auth().oauth2(user.accessToken()).get(url("/api/videos/" + videoId))
                .then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the video is READY (fails early when it turns FAILED). */
    static JsonPath awaitReady(Users.User user, UUID videoId) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Response response = given().auth().oauth2(user.accessToken()).get(url("/api/videos/" + videoId));
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.jsonPath();
            assertThat(last[0].getString("status")).as("video %s: %s", videoId, last[0].getString("failureReason"))
                    .isNotEqualTo("FAILED");
            return "READY".equals(last[0].getString("status"));
        });
        return last[0];
    }

    /** The id of the video's job, once it runs and has made some progress (but is not done). */
    static UUID awaitJobRunning(Users.User user, UUID video) {
        UUID[] job = new UUID[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonPath page = given().auth().oauth2(user.accessToken()).queryParam("videoId", video)
                    .get(url("/api/jobs")).then().statusCode(200).extract().jsonPath();
            if (page.getList("items").isEmpty()) {
                return false;
            }
            job[0] = UUID.fromString(page.getString("items[0].id"));
            String status = page.getString("items[0].status");
            assertThat(status).as("the job finished before it could be interrupted").isIn("QUEUED", "RUNNING");
            return "RUNNING".equals(status) && page.getInt("items[0].progress") >= 5;
        });
        return job[0];
    }

    static String unique() {
        return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
