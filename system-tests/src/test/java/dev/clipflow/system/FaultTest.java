package dev.clipflow.system;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Crashes in the middle of work: nothing a user sent is lost, nothing is stored twice. */
@Tag("fault")
@ExtendWith(Stack.class)
class FaultTest {

    @Test
    void uploadResumesAfterUploadServiceIsKilledMidUpload(@TempDir Path dir) throws Exception {
        Users.User carol = Users.signUp("Carol");
        Path clip = Media.clip(dir, Videos.unique() + ".mp4", 640, 360, 3.0);
        byte[] bytes = Files.readAllBytes(clip);
        int chunkSize = 64 * 1024;
        JsonPath session = given().auth().oauth2(carol.accessToken()).contentType("application/json")
                .body(Map.of("fileName", clip.getFileName().toString(), "size", bytes.length, "chunkSize", chunkSize,
                        "sha256", Media.sha256(clip), "title", "Crash test"))
                .post(url("/api/uploads")).then().statusCode(201).extract().jsonPath();
        String uploadId = session.getString("uploadId");
        UUID videoId = UUID.fromString(session.getString("videoId"));
        int total = session.getInt("totalChunks");
        assertThat(total).isGreaterThanOrEqualTo(3);

        int half = total / 2;
        for (int i = 0; i < half; i++) {
            putChunk(carol, uploadId, bytes, chunkSize, i);
        }

        Stack.get().kill9("upload-service");
        Stack.get().run(List.of("./clipflow", "up"), 300);

        JsonPath status = given().auth().oauth2(carol.accessToken()).get(url("/api/uploads/" + uploadId))
                .then().statusCode(200).extract().jsonPath();
        List<Integer> missing = status.getList("missingChunks", Integer.class);
        assertThat(missing).hasSize(total - half).doesNotContain(0);
        for (int index : missing) {
            putChunk(carol, uploadId, bytes, chunkSize, index);
        }
        given().auth().oauth2(carol.accessToken()).post(url("/api/uploads/" + uploadId + "/complete"))
                .then().statusCode(202);

        Path stored = Stack.get().home().resolve("blobs/originals/" + videoId + "/source");
        assertThat(Media.sha256(stored)).isEqualTo(Media.sha256(clip));
        Videos.awaitReady(carol, videoId);
    }

    private static void putChunk(Users.User user, String uploadId, byte[] bytes, int chunkSize, int index)
            throws Exception {
        byte[] chunk = Arrays.copyOfRange(bytes, index * chunkSize, Math.min(bytes.length, (index + 1) * chunkSize));
        given().auth().oauth2(user.accessToken()).contentType("application/octet-stream")
                .header("Digest", "sha-256=" + Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(chunk)))
                .body(chunk).put(url("/api/uploads/" + uploadId + "/chunks/" + index)).then().statusCode(200);
    }
}
