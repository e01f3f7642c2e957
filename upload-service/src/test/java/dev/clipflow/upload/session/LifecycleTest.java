package dev.clipflow.upload.session;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.StorageConfig;
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
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.upload.support.QuotaStubResource.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Expiry, account and video deletion, and direct (multipart) uploads. */
@QuarkusTest
class LifecycleTest {

    static final int CHUNK = 4096;

    @Inject
    SessionSweeper sweeper;

    @Inject
    StorageConfig storage;

    private java.nio.file.Path staged(UUID uploadId) {
        return java.nio.file.Path.of(storage.localRoot()).resolve(".staging").resolve(uploadId + ".partial");
    }

    @Inject
    BlobStore store;

    @Inject
    UploadSessionRepository sessions;

    @Test
    void abandonedSessionsExpireWithTheirPartsAndReservations() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID id = api.open("abandoned.mp4", data, CHUNK);
        api.putOk(id, 0, Api.chunk(data, CHUNK, 0));
        assertThat(staged(id)).exists();
        String partial = api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", 10)
                .header("Upload-Concat", "partial").contentType("application/offset+octet-stream").body(new byte[10])
                .post("/api/tus/").then().statusCode(201).extract().header("Location");
        UUID partialId = UUID.fromString(partial.substring(partial.lastIndexOf('/') + 1));

        TestClock.get().advance(Duration.ofHours(25));
        try {
            api.put(id, 1, Api.chunk(data, CHUNK, 1)).then().statusCode(410).body("code", equalTo("upload.expired"));
            assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
            api.status(id).then().statusCode(200).body("state", equalTo("EXPIRED"));
            assertThat(staged(id)).doesNotExist();
            assertThat(quota().state(id)).isEqualTo(QuotaStub.State.RELEASED);
            api.open("abandoned.mp4", data, CHUNK); // name freed
            // an abandoned tus partial upload (never taken by a final one) expires the same way
            api.status(partialId).then().statusCode(200).body("state", equalTo("EXPIRED"));
            assertThat(staged(partialId)).doesNotExist();
            assertThat(quota().state(partialId)).isEqualTo(QuotaStub.State.RELEASED);
            api.req().header("Tus-Resumable", "1.0.0").header("Upload-Metadata", Api.tusMetadata("late.mp4")).header("Upload-Concat", "final;" + partial)
                    .post("/api/tus/").then().statusCode(410).body("code", equalTo("upload.expired"));
        } finally {
            TestClock.get().advance(Duration.ofHours(-25));
        }
    }

    @Test
    void userDeletedAbortsTheirSessionsAndFreesTheirNames() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID open = api.open("open.mp4", data, CHUNK);
        api.putOk(open, 0, Api.chunk(data, CHUNK, 0));
        api.uploadWhole("done.mp4", data, CHUNK);

        Events.publish(Topics.USER_DELETED, api.userId.toString(), new UserDeleted(api.userId, "x@example.com", null));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                api.status(open).then().body("state", equalTo("ABORTED")));
        assertThat(quota().state(open)).isEqualTo(QuotaStub.State.RELEASED);
        assertThat(staged(open)).doesNotExist();
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Number) sessions.getEntityManager()
                .createNativeQuery("select count(*) from live_file_name where owner_id = ?1")
                .setParameter(1, api.userId).getSingleResult()).longValue())).isZero();
        // the deleted user's token is valid for minutes yet: no new upload
        api.create(Map.of("fileName", "done.mp4", "size", 100)).then().statusCode(410)
                .body("code", equalTo("upload.owner_deleted"));
    }

    @Test
    void videoDeletedFreesItsFileName() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        UUID id = api.uploadWhole("deleted-later.mp4", data, CHUNK);
        UUID videoId = UUID.fromString(api.status(id).path("videoId"));
        api.create(Map.of("fileName", "deleted-later.mp4", "size", 100)).then().statusCode(409);

        VideoDeleted deleted = new VideoDeleted(videoId, api.userId, "deleted-later.mp4", data.length, api.userId);
        Events.publish(Topics.VIDEO_DELETED, videoId.toString(), deleted);
        Events.publish(Topics.VIDEO_DELETED, videoId.toString(), deleted);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                api.create(Map.of("fileName", "deleted-later.mp4", "size", 100)).then().statusCode(201));
        // the deleted video's content is gone: the same file again is stored, not a duplicate of it
        UUID again = UUID.fromString(api.status(api.uploadWhole("after-delete.mp4", data, CHUNK)).path("videoId"));
        assertThat(store.stat(BlobKeys.original(again))).isPresent();
        var duplicateOf = Events.withKey(Topics.VIDEO_UPLOADED, again.toString(), Duration.ofSeconds(15), 1).get(0)
                .path("data").path("duplicateOf");
        assertThat(duplicateOf.isNull() || duplicateOf.isMissingNode()).as("duplicateOf").isTrue();
    }

    @Test
    void directMultipartUploadStoresAndAnnouncesTheVideo() throws Exception {
        Api api = Api.newUser();
        File file = Videos.mp4().toFile();
        Response response = api.direct(new Object[] {"direct.mp4", "video/mp4", Files.readAllBytes(file.toPath())},
                new java.util.LinkedHashMap<>(Map.of("title", "Direct", "description", "one request", "category",
                        "tests")));
        response.then().statusCode(202).body("status", equalTo("PROCESSING"));
        UUID videoId = UUID.fromString(response.path("videoId"));
        assertThat(store.stat(BlobKeys.original(videoId))).get().extracting(b -> b.size()).isEqualTo(file.length());
        var events = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("title").asText()).isEqualTo("Direct");
            assertThat(e.path("data").path("fileName").asText()).isEqualTo("direct.mp4");
            assertThat(e.path("data").path("contentType").asText()).isEqualTo("video/mp4");
        });
        assertThat(quota().state(UUID.fromString(response.path("uploadId")))).isEqualTo(QuotaStub.State.COMMITTED);
    }

    @Test
    void directUploadOfANonVideoIsRejectedAndLeavesNothing() {
        Api api = Api.newUser();
        Response response = api.direct(new Object[] {"notes.mp4", "video/mp4", "just some text, not a video".getBytes()},
                Map.of());
        response.then().statusCode(422).body("code", equalTo("upload.not_a_video"));
        api.direct(null, Map.of("title", "no file")).then().statusCode(400)
                .body("code", equalTo("upload.file_missing"));
        api.direct(new Object[] {"doc.pdf", "application/pdf", new byte[] {1, 2, 3}}, Map.of())
                .then().statusCode(415).body("code", equalTo("upload.unsupported_content_type"));
        // a chunked body (no Content-Length) cannot be admitted before it is read
        api.req().multiPart("file", "chunked.mp4", new byte[] {1, 2, 3}, "video/mp4").post("/api/uploads/direct")
                .then().statusCode(411).contentType("application/problem+json")
                .body("code", equalTo("upload.length_required"));
    }

    @Test
    void aBodyThatIsNotMultipartIs400NotA500() {
        // found by the system tests' bad-input sweep: the framework's multipart parser failed with a 500
        Api api = Api.newUser();
        for (byte[] body : new byte[][] {"this is not multipart".getBytes(), new byte[0]}) {
            api.req().contentType("multipart/form-data; boundary=sweep").body(body).post("/api/uploads/direct")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("code", equalTo("request.malformed_body"));
        }
    }
}
