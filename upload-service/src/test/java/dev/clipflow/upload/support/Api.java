package dev.clipflow.upload.support;

import dev.clipflow.testinfra.resources.JwtResource;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A signed-in user of the upload API. */
public final class Api {

    public final UUID userId = UUID.randomUUID();
    public final String token = JwtResource.tokens().user(userId);

    public static Api newUser() {
        return new Api();
    }

    public io.restassured.specification.RequestSpecification req() {
        return given().auth().oauth2(token);
    }

    /** A tus {@code Upload-Metadata} for a video named {@code fileName} (with a type, title, category and description). */
    public static String tusMetadata(String fileName) {
        return "filename " + base64(fileName) + ",filetype " + base64("video/mp4") + ",title " + base64("T")
                + ",category " + base64("c") + ",description " + base64("d");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** tus creation: {@code POST /api/tus/} of an upload of {@code length} bytes named {@code fileName}. */
    public Response tusCreate(long length, String fileName) {
        return req().header("Tus-Resumable", "1.0.0").header("Upload-Length", length)
                .header("Upload-Metadata", tusMetadata(fileName)).post("/api/tus/");
    }

    /** A tus PATCH of {@code body} at {@code offset}, with {@code Upload-Checksum} when it is not null. */
    public Response tusPatch(String location, long offset, byte[] body, String checksum) {
        var request = req().header("Tus-Resumable", "1.0.0").header("Upload-Offset", offset)
                .contentType("application/offset+octet-stream").body(body);
        if (checksum != null) {
            request.header("Upload-Checksum", checksum);
        }
        return request.patch(location);
    }

    /**
     * {@code POST /api/uploads/direct} as browsers and curl send it: a multipart body of known length
     * (REST Assured's own multipart goes out chunked, without the Content-Length direct uploads require).
     * {@code file} is {@code {fileName, contentType, bytes}} or null; {@code fields} the text parts.
     */
    public Response direct(Object[] file, Map<String, String> fields) {
        String boundary = "clipflow-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file[0]
                    + "\"\r\nContent-Type: " + file[1] + "\r\n\r\n").getBytes(utf8));
            body.writeBytes((byte[]) file[2]);
            body.writeBytes("\r\n".getBytes(utf8));
        }
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(utf8)));
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(utf8));
        return req().contentType("multipart/form-data; boundary=" + boundary).body(body.toByteArray())
                .post("/api/uploads/direct");
    }

    public Response create(Map<String, Object> body) {
        return req().contentType("application/json").body(body).post("/api/uploads");
    }

    /** Opens a session for {@code data} with the given chunk size; returns the upload id. */
    public UUID open(String fileName, byte[] data, long chunkSize) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fileName", fileName);
        body.put("size", data.length);
        body.put("chunkSize", chunkSize);
        body.put("contentType", "video/mp4");
        body.put("title", "Title of " + fileName);
        body.put("description", "A test video");
        body.put("category", "tests");
        return UUID.fromString(create(body).then().statusCode(201).extract().path("uploadId"));
    }

    public static byte[] chunk(byte[] data, long chunkSize, int index) {
        int from = (int) (index * chunkSize);
        return Arrays.copyOfRange(data, from, (int) Math.min(data.length, from + chunkSize));
    }

    public Response put(UUID uploadId, int index, byte[] bytes) {
        return req().contentType("application/octet-stream").body(bytes)
                .put("/api/uploads/" + uploadId + "/chunks/" + index);
    }

    public ValidatableResponse putOk(UUID uploadId, int index, byte[] bytes) {
        return req().contentType("application/octet-stream").header("Digest", "sha-256=" + sha256Base64(bytes))
                .body(bytes).put("/api/uploads/" + uploadId + "/chunks/" + index).then().statusCode(200);
    }

    public Response status(UUID uploadId) {
        return req().get("/api/uploads/" + uploadId);
    }

    public Response complete(UUID uploadId) {
        return req().post("/api/uploads/" + uploadId + "/complete");
    }

    /** Opens, sends every chunk, completes; returns the upload id. */
    public UUID uploadWhole(String fileName, byte[] data, long chunkSize) {
        UUID id = open(fileName, data, chunkSize);
        int chunks = (int) ((data.length + chunkSize - 1) / chunkSize);
        for (int i = 0; i < chunks; i++) {
            putOk(id, i, chunk(data, chunkSize, i));
        }
        complete(id).then().statusCode(202);
        return id;
    }

    public static String sha256Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(digest("SHA-256", bytes));
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256", bytes));
    }

    public static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
