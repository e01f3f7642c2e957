package dev.clipflow.catalog.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static dev.clipflow.catalog.support.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /api/videos/{id}/original}: the uploaded bytes exactly, to the owner and admins, with ranges and
 * conditional requests, the SHA-256 of {@code video.uploaded} as strong ETag and Repr-Digest.
 */
@QuarkusTest
class OriginalsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    BlobStore store;

    static byte[] original(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theOwnerDownloadsTheUploadedBytesWithTheirSha256AsETagAndRanges() throws Exception {
        UUID owner = UUID.randomUUID();
        byte[] uploaded = original(70_001);
        UUID id = fixtures.readyWithOriginal(owner, "Holiday café.MOV", "video/quicktime", uploaded);
        String sha = sha256(uploaded);

        Response whole = as(owner).get("/api/videos/{id}/original", id);
        whole.then().statusCode(200)
                .header("ETag", "\"" + sha + "\"")
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":")
                .header("Content-Type", "video/quicktime")
                .header("Accept-Ranges", "bytes")
                .header("Content-Disposition", containsString("filename*=UTF-8''Holiday%20caf%C3%A9.MOV"));
        assertThat(sha256(whole.asByteArray())).isEqualTo(sha);

        Response range = as(owner).header("Range", "bytes=1000-1999").header("If-Range", "\"" + sha + "\"")
                .get("/api/videos/{id}/original", id);
        range.then().statusCode(206).header("Content-Range", "bytes 1000-1999/70001");
        assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(uploaded, 1000, 2000));
        as(owner).header("If-None-Match", "\"" + sha + "\"").get("/api/videos/{id}/original", id)
                .then().statusCode(304);
        as(owner).head("/api/videos/{id}/original", id).then().statusCode(200).header("Content-Length", "70001");

        UUID admin = UUID.randomUUID();
        assertThat(sha256(asAdmin(admin).get("/api/videos/{id}/original", id).then().statusCode(200)
                .extract().asByteArray())).isEqualTo(sha);
        // someone else: the private video does not exist for them
        as(UUID.randomUUID()).get("/api/videos/{id}/original", id).then().statusCode(404)
                .contentType("application/problem+json");
        // the owner's bandwidth counts what was sent: two whole files and the range (not the 304, not the HEAD)
        long sent = 2L * uploaded.length + 1000;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> KafkaTopics.all(
                Topics.USAGE_BANDWIDTH, e -> owner.toString().equals(e.path("data").path("ownerId").asText()),
                Duration.ofMillis(500)).stream().mapToLong(e -> e.path("data").path("bytes").asLong()).sum() == sent);
    }

    @Test
    void aPlatformVideosOriginalStaysWithItsOwner() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Public", Visibility.PLATFORM);
        as(UUID.randomUUID()).get("/api/videos/{id}/original", id).then().statusCode(403)
                .body("code", equalTo("video.not_owner"));
    }

    /** {@code clipflow.catalog.keep-originals=false}: the original goes once the video is READY, and quota learns it. */
    @Test
    void withoutOriginalsKeptTheOriginalIsDeletedAfterTheTranscodeAndTheRouteSaysSo() throws Exception {
        QuarkusMock.installMockForType(new KeepOriginals(null) {
            @Override
            public boolean keep() {
                return false;
            }
        }, KeepOriginals.class);
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.readyWithOriginal(owner, "clip.mp4", "video/mp4", original(5_000));

        assertThat(store.stat(BlobKeys.original(id))).isEmpty();
        as(owner).get("/api/videos/{id}/original", id).then().statusCode(410)
                .contentType("application/problem+json").body("code", equalTo("video.original_not_kept"));
        as(owner).get("/api/videos/{id}/stream", id).then().statusCode(200); // the rest of the video plays on
        var stored = KafkaTopics.await(Topics.VIDEO_STORED, e -> id.toString().equals(e.path("subject").asText())
                && e.path("data").path("kind").asText().equals("original"), Duration.ofSeconds(20));
        JsonNode event = EventJson.mapper().readTree(stored.value());
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, event)).isEmpty();
        assertThat(event.path("data").path("bytes").asLong()).isZero();
        assertThat(event.path("data").path("ownerId").asText()).isEqualTo(owner.toString());
    }
}
