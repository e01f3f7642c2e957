package dev.clipflow.upload.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import dev.clipflow.upload.session.service.SessionSweeper;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.Events;
import dev.clipflow.upload.support.QuotaStub;
import dev.clipflow.upload.support.TestClock;
import dev.clipflow.upload.support.Videos;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.clipflow.upload.support.QuotaStubResource.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What completion gives other services: the whole file's SHA-256 in every {@code video.uploaded}
 * (computed while chunks arrive, in any order), nothing published for a file whose SHA-256 differs
 * from the declared one, and a completion whose replica died finished exactly once by whoever
 * comes next.
 */
@QuarkusTest
class CompletionTest {

    static final int CHUNK = 1024;

    @Inject
    BlobStore store;

    @Inject
    UploadStaging staging;

    @Inject
    UploadSessionRepository sessions;

    @Inject
    SessionSweeper sweeper;

    private static int chunks(byte[] data) {
        return (data.length + CHUNK - 1) / CHUNK;
    }

    private static void putAllShuffledInParallel(Api api, UUID uploadId, byte[] data, boolean withDigest)
            throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < chunks(data); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(42));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int index : order) {
                byte[] chunk = Api.chunk(data, CHUNK, index);
                puts.add(pool.submit(() -> withDigest ? api.putOk(uploadId, index, chunk)
                        : api.put(uploadId, index, chunk).then().statusCode(200)));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A new chunked session for the file; its upload and video ids. */
    /** A new user's session for the test MP4, opened (201): who uploads, what, and the ids it got. */
    private record Opened(Api api, byte[] data, UUID uploadId, UUID videoId) {

        static Opened mp4(String fileName) throws Exception {
            Api api = Api.newUser();
            byte[] data = Videos.mp4Bytes();
            Response created = api.create(Map.of("fileName", fileName, "size", data.length, "chunkSize", CHUNK,
                    "contentType", "video/mp4"));
            return new Opened(api, data, UUID.fromString(created.then().statusCode(201).extract().path("uploadId")),
                    UUID.fromString(created.path("videoId")));
        }

        void put(int index) {
            api.put(uploadId, index, Api.chunk(data, CHUNK, index)).then().statusCode(200);
        }
    }

    /** Exactly one video.uploaded for the video, carrying the SHA-256 of these bytes. */
    private static void assertPublishedWithSha256Of(UUID videoId, byte[] data) {
        List<JsonNode> uploaded = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(uploaded).singleElement()
                .satisfies(e -> assertThat(e.path("data").path("sha256").asText()).isEqualTo(Api.sha256Hex(data)));
    }

    private static UUID videoOf(Api api, UUID uploadId) {
        return UUID.fromString(api.status(uploadId).then().statusCode(200).extract().path("videoId"));
    }

    @Test
    void theSameFileAgainFromTheSameOwnerIsNotStoredChargedOrTranscodedButFromAnotherOwnerItIs() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID firstUpload = api.uploadWhole("first.mp4", data, CHUNK);
        UUID first = videoOf(api, firstUpload);
        assertPublishedWithSha256Of(first, data);

        UUID againUpload = api.uploadWhole("again.mp4", data, CHUNK);
        UUID again = videoOf(api, againUpload);
        JsonNode event = Events.withKey(Topics.VIDEO_UPLOADED, again.toString(), Duration.ofSeconds(15), 1).get(0)
                .path("data");
        assertThat(event.path("duplicateOf").asText()).isEqualTo(first.toString());
        assertThat(event.path("sha256").asText()).isEqualTo(Api.sha256Hex(data));
        assertThat(event.path("blobKey").asText()).isEqualTo(BlobKeys.original(first));
        assertThat(store.list(BlobKeys.originalPrefix(again))).as("nothing stored for the repeat").isEmpty();
        assertThat(quota().state(againUpload)).isEqualTo(QuotaStub.State.COMMITTED);
        assertThat(quota().reservation(againUpload).bytes()).as("charged once").isZero();
        assertThat(quota().reservation(firstUpload).bytes()).isEqualTo(data.length);
        api.status(againUpload).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("COMPLETED"));

        // another user's identical file is theirs alone: stored, charged, no duplicateOf
        Api other = Api.newUser();
        UUID theirsUpload = other.uploadWhole("first.mp4", data, CHUNK);
        UUID theirs = videoOf(other, theirsUpload);
        JsonNode theirEvent = Events.withKey(Topics.VIDEO_UPLOADED, theirs.toString(), Duration.ofSeconds(15), 1)
                .get(0).path("data");
        assertThat(theirEvent.path("duplicateOf").isNull() || theirEvent.path("duplicateOf").isMissingNode()).isTrue();
        assertThat(store.stat(BlobKeys.original(theirs))).isPresent();
        assertThat(quota().reservation(theirsUpload).bytes()).isEqualTo(data.length);
    }

    /** {@code POST /internal/uploads} as catalog-service calls it for {@code POST /api/videos/{id}/replace}. */
    private static Response openReplacement(Api api, UUID replaces, String fileName, byte[] data) {
        return io.restassured.RestAssured.given()
                .auth().oauth2(dev.clipflow.testinfra.resources.JwtResource.tokens().service("catalog-service"))
                .contentType("application/json")
                .body(Map.of("ownerId", api.userId, "replaces", replaces, "fileName", fileName, "size", data.length,
                        "chunkSize", CHUNK, "contentType", "video/mp4"))
                .post("/internal/uploads");
    }

    @Test
    void aReplacementTakesNoNameIsAlwaysStoredAndNamesTheVideoItReplaces() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID firstUpload = api.uploadWhole("first.mp4", data, CHUNK);
        UUID first = videoOf(api, firstUpload);
        assertPublishedWithSha256Of(first, data);

        // only services open replacements; the owner's name of the video is not taken again
        api.req().contentType("application/json").body(Map.of("ownerId", api.userId, "replaces", first, "size", 10))
                .post("/internal/uploads").then().statusCode(403);
        Response opened = openReplacement(api, first, "first.mp4", data);
        opened.then().statusCode(201).body("protocol", equalTo("CHUNKED"));
        UUID uploadId = UUID.fromString(opened.path("uploadId"));
        UUID media = UUID.fromString(opened.path("videoId"));
        assertThat(media).isNotEqualTo(first);
        // the owner sends the bytes through the ordinary API with their own token
        int chunks = opened.path("totalChunks");
        for (int i = 0; i < chunks; i++) {
            api.putOk(uploadId, i, Api.chunk(data, CHUNK, i));
        }
        api.complete(uploadId).then().statusCode(202).body("videoId", equalTo(media.toString()));

        // the same content as the video's old file, yet stored and charged: a replacement is never a duplicate
        JsonNode event = Events.withKey(Topics.VIDEO_UPLOADED, media.toString(), Duration.ofSeconds(15), 1).get(0)
                .path("data");
        assertThat(event.path("replaces").asText()).isEqualTo(first.toString());
        assertThat(event.path("duplicateOf").isNull() || event.path("duplicateOf").isMissingNode()).isTrue();
        assertThat(event.path("blobKey").asText()).isEqualTo(BlobKeys.original(media));
        assertThat(store.stat(BlobKeys.original(media))).isPresent();
        assertThat(quota().reservation(uploadId).bytes()).isEqualTo(data.length);
        assertThat(quota().reservation(uploadId).videoId()).isEqualTo(media);
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.COMMITTED);

        // the replaced video plays the new file now: an upload of its old content is no duplicate of it any more
        UUID laterUpload = api.uploadWhole("later.mp4", data, CHUNK);
        JsonNode later = Events.withKey(Topics.VIDEO_UPLOADED, videoOf(api, laterUpload).toString(),
                Duration.ofSeconds(15), 1).get(0).path("data");
        assertThat(later.path("duplicateOf").isNull() || later.path("duplicateOf").isMissingNode()).isTrue();
    }

    @Test
    void aTusReplacementIsPatchedAtItsUrlAsAnyTusUpload() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID video = UUID.randomUUID();
        Response opened = io.restassured.RestAssured.given()
                .auth().oauth2(dev.clipflow.testinfra.resources.JwtResource.tokens().service("catalog-service"))
                .contentType("application/json")
                .body(Map.of("ownerId", api.userId, "replaces", video, "size", data.length, "protocol", "TUS"))
                .post("/internal/uploads");
        opened.then().statusCode(201).body("protocol", equalTo("TUS"));
        String tusUrl = opened.path("tusUrl");
        UUID media = UUID.fromString(opened.path("videoId"));
        api.req().header("Tus-Resumable", "1.0.0").head(tusUrl).then().statusCode(200)
                .header("Upload-Offset", "0").header("Upload-Length", String.valueOf(data.length));
        api.req().header("Tus-Resumable", "1.0.0").header("Upload-Offset", 0)
                .contentType("application/offset+octet-stream").body(data).patch(tusUrl).then().statusCode(204);
        JsonNode event = Events.withKey(Topics.VIDEO_UPLOADED, media.toString(), Duration.ofSeconds(15), 1).get(0)
                .path("data");
        assertThat(event.path("replaces").asText()).isEqualTo(video.toString());
        assertThat(event.path("sha256").asText()).isEqualTo(Api.sha256Hex(data));
    }

    @Test
    void aReplacementWhoseVideoIsDeletedMidUploadIsAborted() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID video = UUID.randomUUID();
        Response opened = openReplacement(api, video, "new.mp4", data);
        UUID uploadId = UUID.fromString(opened.then().statusCode(201).extract().path("uploadId"));
        UUID media = UUID.fromString(opened.path("videoId"));
        api.putOk(uploadId, 0, Api.chunk(data, CHUNK, 0));
        // catalog cancels the media id (the video was deleted meanwhile)
        Events.publish(Topics.VIDEO_DELETED, media.toString(),
                new dev.clipflow.contracts.events.VideoDeleted(media, api.userId, null, 0, api.userId));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            api.status(uploadId).then().statusCode(200).body("state", equalTo("ABORTED"));
            assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.RELEASED);
        });
        api.put(uploadId, 1, Api.chunk(data, CHUNK, 1)).then().statusCode(410);
    }

    @Test
    void theEventCarriesTheFilesSha256WhenTheClientGaveNone() throws Exception {
        Opened opened = Opened.mp4("no-sha.mp4");
        Api api = opened.api();
        byte[] data = opened.data();
        UUID uploadId = opened.uploadId();
        UUID videoId = opened.videoId();

        putAllShuffledInParallel(api, uploadId, data, false);
        // the running digest already covers the whole file: completion only finishes it
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(uploadId).bytes()))
                .isEqualTo(data.length);
        api.complete(uploadId).then().statusCode(202);

        assertPublishedWithSha256Of(videoId, data);
        try (var in = store.open(BlobKeys.original(videoId), 0, data.length)) {
            assertThat(Api.sha256Hex(in.readAllBytes())).isEqualTo(Api.sha256Hex(data));
        }
    }

    @Test
    void anUploadWhoseStoredDigestStateThisReplicaCannotRestoreIsHashedAgainAndStillRight() throws Exception {
        Opened opened = Opened.mp4("old-state.mp4");
        byte[] data = opened.data();
        int half = chunks(data) / 2;
        for (int i = 0; i < half; i++) {
            opened.put(i);
        }
        // the state an older release (pure-Java digest) stored for the same prefix: another format than ours
        SHA256Digest javaDigest = new SHA256Digest();
        javaDigest.update(data, 0, half * CHUNK);
        int stored = QuarkusTransaction.requiringNew().call(() -> sessions.getEntityManager().createNativeQuery(
                        "update upload_session set digest_state = ?1 where id = ?2 and digest_bytes = ?3")
                .setParameter(1, javaDigest.getEncodedState()).setParameter(2, opened.uploadId())
                .setParameter(3, (long) half * CHUNK).executeUpdate());
        assertThat(stored).isEqualTo(1);

        for (int i = half; i < chunks(data); i++) {
            opened.put(i);
        }
        opened.api().complete(opened.uploadId()).then().statusCode(202);

        assertPublishedWithSha256Of(opened.videoId(), data);
    }

    @Test
    void aDeclaredSha256ThatDiffersFromTheFileIsA422AndPublishesNothing() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        byte[] other = data.clone();
        other[other.length / 2] ^= 1;
        Response created = api.create(Map.of("fileName", "bad-sha.mp4", "size", data.length, "chunkSize", CHUNK,
                "sha256", Api.sha256Hex(other)));
        UUID uploadId = UUID.fromString(created.then().statusCode(201).extract().path("uploadId"));
        UUID videoId = UUID.fromString(created.path("videoId"));

        putAllShuffledInParallel(api, uploadId, data, true);
        api.complete(uploadId).then().statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("upload.checksum_mismatch"));
        api.complete(uploadId).then().statusCode(422).body("code", equalTo("upload.checksum_mismatch"));

        assertThat(Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(3), 1)).isEmpty();
        assertThat(Events.withKey(Topics.VIDEO_FAILED, videoId.toString(), Duration.ofSeconds(1), 1)).isEmpty();
        assertThat(store.list(BlobKeys.originalPrefix(videoId))).isEmpty();
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.RELEASED);
    }

    /**
     * Exactly one video.uploaded for the video, with the SHA-256 of these bytes, after every completion and sweep
     * that could publish another one has returned: a second event would be an outbox row of the video or on Kafka
     * already. Once no row of the video is left, both would be on the topic before it is read (from the start: the
     * first shows up, and the reading goes on 0.7 s), where 8 s of reading without that look at the outbox were spent.
     */
    private void assertPublishedOnceWithSha256Of(UUID videoId, byte[] data) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> ((Number) sessions.getEntityManager()
                        .createNativeQuery("select count(*) from outbox_message where message_key = ?1")
                        .setParameter(1, videoId.toString()).getSingleResult()).longValue()) == 0);
        List<JsonNode> uploaded = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(uploaded).singleElement()
                .satisfies(e -> assertThat(e.path("data").path("sha256").asText()).isEqualTo(Api.sha256Hex(data)));
    }

    /** What a replica that died half-way through completion leaves behind: COMPLETING, its lease running out. */
    private void completionAbandonedAt(UUID uploadId, Instant leaseAt) {
        QuarkusTransaction.requiringNew().run(() -> sessions.getEntityManager().createNativeQuery("""
                update upload_session set state = 'COMPLETING', completion_claim = ?1, completion_lease_at = ?2
                where id = ?3""").setParameter(1, UUID.randomUUID()).setParameter(2, leaseAt)
                .setParameter(3, uploadId).executeUpdate());
    }

    @Test
    void aCompletionWhoseReplicaDiedAfterAssemblingIsFinishedByTheNextRequestExactlyOnce() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID uploadId = api.open("died-completing.mp4", data, CHUNK);
        UUID videoId = videoOf(api, uploadId);
        putAllShuffledInParallel(api, uploadId, data, true);
        // the dead replica had claimed the completion and assembled the file, then was killed
        completionAbandonedAt(uploadId, TestClock.get().instant().minus(Duration.ofMinutes(10)));
        staging.assemble(uploadId, chunks(data), CHUNK, data.length, BlobKeys.original(videoId), "video/mp4");

        api.complete(uploadId).then().statusCode(202).body("status", equalTo("PROCESSING"));
        api.status(uploadId).then().body("state", equalTo("COMPLETED"));
        api.complete(uploadId).then().statusCode(202);
        sweeper.sweep();

        assertPublishedOnceWithSha256Of(videoId, data);
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.COMMITTED);
    }

    @Test
    void aLiveCompletionIsLeftAloneAndTheSweeperFinishesItOnceItsLeaseRunsOut() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID uploadId = api.open("lease.mp4", data, CHUNK);
        UUID videoId = videoOf(api, uploadId);
        putAllShuffledInParallel(api, uploadId, data, false);
        completionAbandonedAt(uploadId, TestClock.get().instant());

        // the lease is fresh: another request does not step in
        api.complete(uploadId).then().statusCode(202);
        sweeper.sweep();
        api.status(uploadId).then().body("state", equalTo("COMPLETING"));

        TestClock.get().advance(Duration.ofMinutes(3));
        try {
            sweeper.sweep();
            api.status(uploadId).then().body("state", equalTo("COMPLETED"));
            sweeper.sweep();
            api.complete(uploadId).then().statusCode(202);
        } finally {
            TestClock.get().advance(Duration.ofMinutes(-3));
        }
        assertPublishedOnceWithSha256Of(videoId, data);
        try (var in = store.open(BlobKeys.original(videoId), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    /** A session COMPLETING when its owner was deleted went on and published a video nobody owns. */
    @Test
    void aCompletionOfADeletedUserIsAbortedAndPublishesNothing() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID uploadId = api.open("deleted-owner.mp4", data, CHUNK);
        UUID videoId = videoOf(api, uploadId);
        putAllShuffledInParallel(api, uploadId, data, false);
        UUID other = api.open("other.mp4", data, CHUNK);
        completionAbandonedAt(uploadId, TestClock.get().instant().minus(Duration.ofMinutes(10)));

        Events.publish(Topics.USER_DELETED, api.userId.toString(),
                new dev.clipflow.contracts.events.UserDeleted(api.userId, "gone@example.com", null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                api.status(other).then().body("state", equalTo("ABORTED")));
        sweeper.sweep();

        api.status(uploadId).then().body("state", equalTo("ABORTED"));
        assertThat(Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(3), 1)).isEmpty();
        assertThat(store.list(BlobKeys.originalPrefix(videoId))).isEmpty();
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.RELEASED);
    }
}
