package dev.clipflow.upload.session;

import dev.clipflow.upload.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.clipflow.upload.support.QuotaStubResource.quota;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct (multipart) upload declares its size in Content-Length: the quota and the concurrent-upload limit
 * are checked from it before a byte of the body is read. The requests here send the head and one KiB of a
 * body they declare much larger, then wait for the answer: a server that spools first never answers.
 */
@QuarkusTest
class DirectUploadLimitsTest {

    /** Direct uploads spooled up to 10 GB to disk before the quota check. */
    @Test
    void aDirectUploadOverQuotaIsRefusedBeforeItsBodyIsRead() throws IOException {
        Api api = Api.newUser();
        quota().limit(api.userId, 1_000_000);
        String answer = postDeclaring(api, 500_000_000L);
        assertThat(answer).startsWith("HTTP/1.1 403").contains("application/problem+json")
                .contains("quota.storage_exceeded");
    }

    /** Direct uploads were not counted in the per-user limit of unfinished uploads. */
    @Test
    void directUploadsCountInTheConcurrentUploadLimit() throws IOException {
        Api api = Api.newUser();
        for (int i = 0; i < 5; i++) {
            api.create(Map.of("fileName", "open-" + i + ".mp4", "size", 100_000)).then().statusCode(201);
        }
        String answer = postDeclaring(api, 100_000_000L);
        assertThat(answer).startsWith("HTTP/1.1 429").contains("upload.too_many_sessions");
    }

    @Test
    void aDirectUploadWithoutContentLengthIsRefused() throws IOException {
        Api api = Api.newUser();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads/direct HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + api.token
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            assertThat(head(socket.getInputStream())).startsWith("HTTP/1.1 411").contains("application/problem+json");
        }
    }

    private static String postDeclaring(Api api, long contentLength) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads/direct HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + api.token
                    + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + contentLength
                    + "\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\n"
                    + "Content-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            return head(socket.getInputStream());
        }
    }

    /** The status line, headers and as much of the body as has arrived. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n = in.read(buffer);
        while (n > 0) {
            read.write(buffer, 0, n);
            if (read.toString(StandardCharsets.UTF_8).contains("\"status\"") || read.size() > 16_384) {
                break;
            }
            n = in.read(buffer);
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
