package dev.clipflow.upload.session;

import dev.clipflow.testinfra.resources.PostgresResource;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * PostgreSQL stops while a chunked upload and a tus upload are half sent: a chunk PUT, a tus PATCH and a HEAD answer
 * 503 {@code service.unavailable} with {@code Retry-After} (problem+json; a client backs off and sends again, it is
 * not told the server is broken), and nothing is lost or half counted: once the database is back, the upload stands
 * where it stood and the same requests, sent again as they were, finish it.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final int CHUNK = 4096;

    @Test
    void chunksAndPatchesDuringAnOutageAnswer503WithRetryAfterAndGoThroughWhenItEnds() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID chunked = api.open("outage.mp4", data, CHUNK);
        api.putOk(chunked, 0, Api.chunk(data, CHUNK, 0));
        Response created = api.tusCreate(data.length, "tus.mp4");
        created.then().statusCode(201);
        String tus = created.header("Location");
        byte[] head = Arrays.copyOfRange(data, 0, 3000);
        byte[] rest = Arrays.copyOfRange(data, 3000, data.length);
        api.tusPatch(tus, 0, head, null).then().statusCode(204);

        PostgresResource.stopServer();
        try {
            unavailable(api.req().contentType("application/octet-stream").body(Api.chunk(data, CHUNK, 1))
                    .put("/api/uploads/" + chunked + "/chunks/1"));
            unavailable(api.tusPatch(tus, 3000, rest, null));
            unavailableHead(api.req().header("Tus-Resumable", "1.0.0").head(tus));
        } finally {
            PostgresResource.startServer();
        }
        await("upload-service ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        api.status(chunked).then().statusCode(200).body("uploadedChunks", equalTo(1))
                .body("bytesReceived", equalTo(CHUNK));
        int chunks = (data.length + CHUNK - 1) / CHUNK;
        for (int i = 1; i < chunks; i++) {
            api.putOk(chunked, i, Api.chunk(data, CHUNK, i));
        }
        api.complete(chunked).then().statusCode(202);
        api.req().header("Tus-Resumable", "1.0.0").head(tus).then().statusCode(200).header("Upload-Offset", "3000");
        api.tusPatch(tus, 3000, rest, null).then().statusCode(204).header("Upload-Offset", String.valueOf(data.length));
        UUID tusId = UUID.fromString(tus.substring(tus.lastIndexOf('/') + 1));
        api.status(tusId).then().body("state", equalTo("COMPLETED"));
        api.status(chunked).then().body("state", equalTo("COMPLETED"));
    }

    private static void unavailable(Response response) {
        unavailableHead(response);
        response.then().body("code", equalTo("service.unavailable"));
    }

    /** A HEAD's answer has no body: the status and the headers. */
    private static void unavailableHead(Response response) {
        response.then().log().ifValidationFails().statusCode(503).header("Retry-After", "5")
                .contentType("application/problem+json");
    }
}
