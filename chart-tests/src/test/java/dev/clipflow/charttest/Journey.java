package dev.clipflow.charttest;

import dev.clipflow.testinfra.files.Commands;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What users and clients do, through the chart's ingress (REST Assured, real mail, real media). */
final class Journey {

    private static final Pattern LINK = Pattern.compile("(https?://[^\\s\"'<>]+?)\\?token=([A-Za-z0-9_\\-.~%]+)");

    private final ChartStack stack;

    Journey(ChartStack stack) {
        this.stack = stack;
    }

    record User(UUID id, String email, String password, String accessToken) {
    }

    /** A mailed link: where it points and its token. */
    record MailLink(String base, String token) {
    }

    String url(String path) {
        return stack.gateway() + path;
    }

    /** Registers through the ingress and returns the link of the activation mail. */
    MailLink register(String email, String password) {
        Response response = given().contentType("application/json")
                .body(Map.of("email", email, "password", password, "displayName", "Chart " + email.substring(0, 6)))
                .post(url("/api/auth/register"));
        assertThat(response.statusCode()).as("register: %s", response.asString()).isEqualTo(201);
        return awaitMailLink(email);
    }

    /** Registers, activates from the mail, logs in. */
    User signUp() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "Correct-Horse-" + UUID.randomUUID().toString().substring(0, 6);
        MailLink link = register(email, password);
        given().contentType("application/json").body(Map.of("token", link.token()))
                .post(url("/api/auth/activate")).then().statusCode(200);
        return login(stack.gateway(), email, password);
    }

    User admin() {
        return login(stack.gateway(), TestSecrets.ADMIN_EMAIL, stack.secrets.value("clipflow-admin", "password"));
    }

    /** Logs in at {@code base} (the ingress or one auth-service pod). */
    static User login(String base, String email, String password) {
        Response response = given().contentType("application/json").body(Map.of("email", email, "password", password))
                .post(base + "/api/auth/login");
        assertThat(response.statusCode()).as("login at %s: %s", base, response.asString()).isEqualTo(200);
        String access = response.jsonPath().getString("accessToken");
        String id = given().auth().oauth2(access).get(base + "/api/auth/me")
                .then().statusCode(200).extract().jsonPath().getString("id");
        return new User(UUID.fromString(id), email, password, access);
    }

    MailLink awaitMailLink(String email) {
        MailLink[] found = new MailLink[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (MimeMessage message : stack.infra.messages()) {
                if (sentTo(message, email)) {
                    String text = GreenMailUtil.getWholeMessage(message).replace("=\r\n", "").replace("=3D", "=");
                    Matcher matcher = LINK.matcher(text);
                    if (matcher.find()) {
                        found[0] = new MailLink(matcher.group(1), java.net.URLDecoder.decode(matcher.group(2),
                                java.nio.charset.StandardCharsets.UTF_8));
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    private static boolean sentTo(MimeMessage message, String email) {
        try {
            var recipients = message.getRecipients(Message.RecipientType.TO);
            return recipients != null && java.util.Arrays.stream(recipients).anyMatch(r -> r.toString().contains(email));
        } catch (MessagingException e) {
            return false;
        }
    }

    /** The admin sets a user's limits (admin API of quota-service, through the ingress). */
    void setQuota(User admin, UUID user, long storageBytes, long bandwidthBytes) {
        given().auth().oauth2(admin.accessToken()).contentType("application/json")
                .body(Map.of("storageLimitBytes", storageBytes, "bandwidthLimitBytes", bandwidthBytes))
                .put(url("/api/admin/quota/" + user)).then().statusCode(200);
    }

    /**
     * The resumable upload API through the ingress: open a session (quota reservation), send the chunks
     * ({@code parallel} at a time, read from disk one by one), complete (quota commit). Returns the video id.
     */
    UUID upload(User user, Path file, long chunkSize, int parallel) {
        try {
            long size = Files.size(file);
            Response opened = given().auth().oauth2(user.accessToken()).contentType("application/json")
                    .body(Map.of("fileName", file.getFileName().toString(), "size", size, "chunkSize", chunkSize,
                            "sha256", Commands.sha256(file), "title", "Chart " + file.getFileName(), "contentType", "video/mp4"))
                    .post(url("/api/uploads"));
            assertThat(opened.statusCode()).as("POST /api/uploads: %s", opened.asString()).isEqualTo(201);
            JsonPath session = opened.jsonPath();
            String uploadId = session.getString("uploadId");
            int chunk = session.getInt("chunkSize");
            int total = session.getInt("totalChunks");
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            try {
                List<Future<String>> sent = new ArrayList<>();
                for (int index = 0; index < total; index++) {
                    int i = index;
                    sent.add(pool.submit(() -> putChunk(user, file, uploadId, i, (long) i * chunk,
                            Math.min(chunk, size - (long) i * chunk))));
                }
                for (Future<String> result : sent) {
                    assertThat(result.get(30, TimeUnit.MINUTES)).isEmpty();
                }
            } finally {
                pool.shutdownNow();
            }
            Response completed = given().auth().oauth2(user.accessToken()).post(url("/api/uploads/" + uploadId + "/complete"));
            assertThat(completed.statusCode()).as("complete: %s", completed.asString()).isEqualTo(202);
            return UUID.fromString(completed.jsonPath().getString("videoId"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e);
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /**
     * One chunk, streamed from the file (JDK HttpClient: a 32 MiB body never sits in the test's heap, where
     * the MongoDB and SMTP servers live too); "" when it answers 200, else the status and body.
     */
    private String putChunk(User user, Path file, String uploadId, int index, long offset, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 20);
            for (long done = 0; done < length; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
                int n = channel.read(buffer, offset + done);
                digest.update(buffer.flip());
                done += n;
            }
        }
        var body = java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length)), length);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/uploads/" + uploadId + "/chunks/" + index)))
                .header("Authorization", "Bearer " + user.accessToken())
                .header("Content-Type", "application/octet-stream")
                .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(digest.digest()))
                .PUT(body).build();
        var response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? "" : "chunk " + index + ": " + response.statusCode() + " " + response.body();
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    left--;
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the video is READY; fails at once, with the reason, when it turns FAILED. */
    JsonPath awaitReady(User user, UUID video, Duration atMost) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Response response = given().auth().oauth2(user.accessToken()).get(url("/api/videos/" + video));
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.jsonPath();
            assertThat(last[0].getString("status")).as("video %s: %s", video, last[0].getString("failureReason"))
                    .isNotEqualTo("FAILED");
            return "READY".equals(last[0].getString("status"));
        });
        return last[0];
    }
}
