package dev.clipflow.upload.ingest;

import dev.clipflow.upload.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own bodies go through the tap (HTTP/1.1 as Quarkus serves it, whatever wraps the request), so the
 * CPU it saves is saved where users upload, and the bytes it takes are the bytes stored.
 */
@QuarkusTest
class BodyTapInServiceTest {

    @Test
    void aTusPatchIsTakenOffTheConnectionInFrontOfVertxAndCountedWhole() {
        Api api = Api.newUser();
        int size = 8 * 1024 * 1024;
        byte[] body = new byte[size];
        new Random(9).nextBytes(body);
        String location = api.tusCreate(2L * size, "tapped.mp4").then().statusCode(201).extract().header("Location");
        long before = IncomingBody.tappedBytes();
        api.tusPatch(location, 0, body, null).then().statusCode(204).header("Upload-Offset", String.valueOf(size));
        // what Vert.x queued while the request waited for its claim comes through Vert.x: most comes through the tap
        assertThat(IncomingBody.tappedBytes() - before).isGreaterThan(size / 2L).isLessThanOrEqualTo(size);
        api.req().header("Tus-Resumable", "1.0.0").head(location).then().statusCode(200)
                .header("Upload-Offset", String.valueOf(size));
    }
}
