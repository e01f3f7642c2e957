package dev.clipflow.upload.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.upload.ingest.UploadStore;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.Events;
import dev.clipflow.upload.support.QuotaStub;
import dev.clipflow.upload.support.Videos;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.clipflow.upload.support.QuotaStubResource.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The chunked upload API of the contract, against real PostgreSQL, Kafka, FFmpeg and the quota stub. */
@QuarkusTest
class ChunkedUploadTest {

    static final int CHUNK = 4096;

    @Inject
    BlobStore store;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    UploadStore uploads;

    @Inject
    UploadSessionRepository sessions;

    @Inject
    dev.clipflow.upload.ingest.ChunkStatements statements;

    @Inject
    dev.clipflow.storage.staging.UploadStaging staging;

    @Inject
    dev.clipflow.upload.session.service.RunningDigest runningDigest;

    /** Bytes the whole-file SHA-256 has read back from staging so far (not hashed as they arrived). */
    private double readBack() {
        return registry.get("clipflow.upload.digest.readback.bytes").counter().count();
    }

    /** A new user's session of a test video in three chunks, with its SHA-256 (checked when it completes). */
    private record ThreeChunks(Api api, byte[] data, UUID id, int chunkSize) {

        static ThreeChunks open(String fileName) {
            Api api = Api.newUser();
            byte[] data = video();
            int chunkSize = (data.length + 2) / 3;
            Response created = api.create(Map.of("fileName", fileName, "size", data.length, "chunkSize", chunkSize,
                    "contentType", "video/mp4", "sha256", Api.sha256Hex(data), "title", fileName, "description", "d",
                    "category", "c"));
            return new ThreeChunks(api, data, UUID.fromString(created.then().statusCode(201).extract().path("uploadId")),
                    chunkSize);
        }

        byte[] chunk(int index) {
            return Api.chunk(data, chunkSize, index);
        }

        /** Sends the last chunk and completes: 202 only when the whole file's SHA-256 is the one given. */
        void finish() {
            api.putOk(id, 2, chunk(2));
            api.complete(id).then().statusCode(202);
            api.status(id).then().body("state", equalTo("COMPLETED"));
        }
    }

    /** A PUT of chunk {@code index} through a raw connection, with only the first {@code sent} bytes of its body. */
    private static Socket startPut(Api api, UUID id, int index, byte[] chunk, int sent) throws Exception {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout(60_000);
        socket.getOutputStream().write(("PUT /api/uploads/" + id + "/chunks/" + index + " HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + api.token + "\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + chunk.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(chunk, 0, sent);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Sends the rest of a body begun by {@link #startPut} (from byte {@code sent}); returns the answer's status. */
    private static int finishPut(Socket socket, byte[] chunk, int sent) throws Exception {
        socket.getOutputStream().write(chunk, sent, chunk.length - sent);
        socket.getOutputStream().flush();
        return status(socket);
    }

    /** The status code of the answer on a raw connection. */
    private static int status(Socket socket) throws Exception {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)).readLine();
        return Integer.parseInt(line.split(" ")[1]);
    }

    /**
     * Chunks sent in parallel and in order are all hashed as they pass: a chunk that arrives while the one before it
     * is still being received waits for that one's running SHA-256 instead of being written for a read-back later
     * (three chunks in four read back with 4 PUTs in flight, before). The file's SHA-256 is still the right one.
     */
    @Test
    void aChunkRightAfterOneStillArrivingTakesOverItsDigestAndNothingIsReadBack() throws Exception {
        ThreeChunks upload = ThreeChunks.open("relay.mp4");
        byte[] first = upload.chunk(0);
        double before = readBack();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Socket slow = startPut(upload.api(), upload.id(), 0, first, first.length / 2)) {
            Thread.sleep(1000); // chunk 0 is claimed and half hashed (a loaded machine included)
            Future<Response> next = pool.submit(() -> upload.api().put(upload.id(), 1, upload.chunk(1)));
            Thread.sleep(1000); // chunk 1 is claimed and waits (within the test's 3 s hand-off wait)
            assertThat(next.isDone()).as("chunk 1 waits for chunk 0's digest").isFalse();
            assertThat(finishPut(slow, first, first.length / 2)).isEqualTo(200);
            assertThat(next.get().statusCode()).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
        upload.finish();
        assertThat(readBack() - before).as("bytes read back for the running digest").isZero();
    }

    /**
     * Two chunks counted at the same moment: chunk 0 carries the running digest over its bytes, chunk 1 (after it)
     * was stored to be read back. Counting chunk 0 waits for chunk 1's count to commit (both count on the session's
     * row); it must then see chunk 1 and ask for the digest to go on over it, for chunk 1's own look ran before chunk
     * 0 counted. It did not (its check saw the database as of before its wait): the digest stopped short of the file
     * until the completion read the rest back (the CI run of session 13: 38,912 of 39,755 bytes hashed after every
     * chunk was received, in {@code CompletionTest}).
     */
    @Test
    void aCarriedChunkCountedWhileTheNextOneCommitsSeesItAndTheDigestGoesOn() throws Exception {
        ThreeChunks upload = ThreeChunks.open("count-race.mp4");
        int size = upload.chunkSize();
        var first = (UploadStore.Claimed) uploads.claim(upload.id(), 0, 0, size);
        var second = (UploadStore.Claimed) uploads.claim(upload.id(), 1, size, size);
        var digest = dev.clipflow.upload.session.service.RunningDigest.resume(null, 0);
        digest.update(upload.chunk(0), 0, size);
        byte[] state = digest.getEncodedState();
        try {
            UploadStore.Counted counted = whileHeldOpen(
                    () -> assertThat(statements.countChunk(upload.id(), 1, second.id(), size, size, "sha-256:second",
                            null, Instant.now())).isPresent(),
                    () -> uploads.count(upload.id(), 0, first.id(), 0, size, "sha-256:first", state, true),
                    "chunk 0's count waits for chunk 1's");
            assertThat(counted.carried()).isTrue();
            assertThat(counted.advanceDigest()).as("chunk 1 continues the digest chunk 0 carried").isTrue();
        } finally {
            uploads.forget(second.id());
        }
    }

    /**
     * The request advancing the digest (holding its lock) read the digest before a chunk carrying it over its own
     * bytes counted, and that chunk as received after: its store found the digest moved. It gave up there, while
     * requests that had found the lock taken counted on it to look again: the digest stopped short of the file
     * (CompletionTest in CI, again). Here the carried count is a transaction holding the session's row, committed
     * while the advancer waits to store: the advancer must look again and go on over the chunks after it.
     */
    @Test
    void anAdvancerWhoseDigestMovedUnderItsLockLooksAgainAndCoversTheFile() throws Exception {
        ThreeChunks upload = ThreeChunks.open("moved.mp4");
        int size = upload.chunkSize();
        upload.api().putOk(upload.id(), 1, upload.chunk(1));
        upload.api().putOk(upload.id(), 2, upload.chunk(2));
        // chunk 0 received without its digest (as after a gap), nobody advanced yet
        var first = (UploadStore.Claimed) uploads.claim(upload.id(), 0, 0, size);
        staging.writeChunk(upload.id(), 0, 0, new java.io.ByteArrayInputStream(upload.chunk(0)), size);
        assertThat(uploads.count(upload.id(), 0, first.id(), 0, size, "sha-256:first", null, true).counted()).isTrue();
        var digest = dev.clipflow.upload.session.service.RunningDigest.resume(null, 0);
        digest.update(upload.chunk(0), 0, size);
        byte[] overFirst = digest.getEncodedState();
        whileHeldOpen(() -> assertThat(sessions.saveDigest(upload.id(), 0, size, overFirst)).isTrue(), () -> {
            runningDigest.advance(upload.id());
            return null;
        }, "the advancer waits to store its digest");
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(upload.id()).bytes()))
                .as("the running digest covers the file").isEqualTo((long) upload.data().length);
        upload.api().complete(upload.id()).then().statusCode(202);
    }

    /**
     * Runs {@code held} in a transaction of its own on another thread and keeps that transaction open (its row locks
     * held) while {@code blocked} runs on a third; once {@code blocked} waits for a lock ({@code waiting} says what
     * for), commits {@code held} and returns what {@code blocked} gave.
     */
    private <T> T whileHeldOpen(Runnable held, Callable<T> blocked, String waiting) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try {
            Future<?> holding = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                held.run();
                done.countDown();
                try {
                    assertThat(commit.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            Future<T> waiter = pool.submit(blocked);
            for (int i = 0; i < 300 && !waitingOnALock(); i++) {
                Thread.sleep(10);
            }
            assertThat(waitingOnALock()).as(waiting).isTrue();
            commit.countDown();
            holding.get(30, TimeUnit.SECONDS);
            return waiter.get(30, TimeUnit.SECONDS);
        } finally {
            commit.countDown();
            pool.shutdown();
        }
    }

    /** Whether a statement of this database waits for a row lock another transaction holds. */
    private boolean waitingOnALock() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) sessions.getEntityManager().createNativeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .getSingleResult()).longValue() > 0);
    }

    /**
     * The chunk before stalls (a slow or gone client): the chunk after it waits only the hand-off wait, then is
     * stored for hashing later as any chunk after a gap; nothing hangs, and the file's SHA-256 is right.
     */
    @Test
    void aChunkAfterOneThatStallsGoesOnAloneAfterTheHandOffWait() throws Exception {
        ThreeChunks upload = ThreeChunks.open("stalled.mp4");
        byte[] first = upload.chunk(0);
        byte[] second = upload.chunk(1);
        double before = readBack();
        try (Socket slow = startPut(upload.api(), upload.id(), 0, first, first.length / 2)) {
            Thread.sleep(300);
            assertThat(upload.api().put(upload.id(), 1, second).statusCode()).isEqualTo(200); // chunk 0 still stalls
            assertThat(finishPut(slow, first, first.length / 2)).isEqualTo(200);
        }
        assertThat(readBack() - before).as("chunk 1, hashed when chunk 0 arrived").isEqualTo(second.length);
        upload.finish();
    }

    /**
     * One chunk that missed its hand-over (it arrived before the chunk ahead of it was claimed) is the only one read
     * back: the chunk that arrives while it is still being received waits for the advancer, which saves the digest at
     * its start as soon as the missed one is counted, and the chunks after it are hashed as they pass again. It used
     * to go on without the digest at once, and so did every chunk after it while the client kept several in flight:
     * 962 MiB of a 1 GiB upload read back in a benchmark run.
     */
    @Test
    void afterOneChunkMissedItsHandOverTheChunksAfterItAreHashedAsTheyPassAgain() throws Exception {
        Api api = Api.newUser();
        byte[] data = video();
        int chunkSize = (data.length + 3) / 4;
        Response created = api.create(Map.of("fileName", "missed.mp4", "size", data.length, "chunkSize", chunkSize,
                "contentType", "video/mp4", "sha256", Api.sha256Hex(data), "title", "Missed", "description", "d",
                "category", "c"));
        UUID id = UUID.fromString(created.then().statusCode(201).extract().path("uploadId"));
        byte[] second = Api.chunk(data, chunkSize, 1);
        double before = readBack();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Socket missed = startPut(api, id, 1, second, second.length / 2)) {
            Thread.sleep(1000); // chunk 1 found nothing before it arriving and streams without the digest
            api.putOk(id, 0, Api.chunk(data, chunkSize, 0)); // the stored digest now stands at chunk 1's start
            Future<Response> third = pool.submit(() -> api.put(id, 2, Api.chunk(data, chunkSize, 2)));
            Thread.sleep(1000); // chunk 2 arrived while chunk 1 is still being received
            assertThat(finishPut(missed, second, second.length / 2)).isEqualTo(200);
            assertThat(third.get().statusCode()).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
        api.putOk(id, 3, Api.chunk(data, chunkSize, 3));
        assertThat(readBack() - before).as("bytes read back: chunk 1 only, not chunk 2").isEqualTo(second.length);
        api.complete(id).then().statusCode(202);
        api.status(id).then().body("state", equalTo("COMPLETED"));
    }

    private static byte[] video() {
        return Videos.mp4Bytes();
    }

    private static int chunks(byte[] data) {
        return (data.length + CHUNK - 1) / CHUNK;
    }

    /**
     * A client that hangs up right after a chunk's headers (a closed tab, a page reload) leaves the chunk free at
     * once: it used to hang up before the service started reading the body, which then waited forever and kept the
     * chunk "in progress" until the stale-claim timeout (10 min), so the resumed upload could not go on.
     */
    @Test
    void aChunkWhoseClientHangsUpBeforeItsBodyCanBeSentAgainAtOnce() throws Exception {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        int chunkSize = 8 * 1024;
        UUID id = api.open("hang-up.mp4", data, chunkSize);
        for (int index = 0; index < 4; index++) {
            byte[] chunk = Api.chunk(data, chunkSize, index);
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                socket.getOutputStream().write(("PUT /api/uploads/" + id + "/chunks/" + index + " HTTP/1.1\r\n"
                        + "Host: localhost\r\nAuthorization: Bearer " + api.token + "\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + chunk.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            Response again = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                again = api.put(id, index, chunk);
                if (again.statusCode() != 409) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(again.statusCode()).as("chunk %d after its client hung up: %s", index, again.asString())
                    .isEqualTo(200);
        }
    }

    @Test
    void chunksOutOfOrderAndInParallelCompleteIntoOneVideoWithEvents() throws Exception {
        Api api = Api.newUser();
        byte[] data = video();
        int total = chunks(data);
        String sha = Api.sha256Hex(data);
        Response created = api.create(Map.of("fileName", "parallel.mp4", "size", data.length, "chunkSize", CHUNK,
                "contentType", "video/mp4", "sha256", sha, "title", "Parallel", "description", "d", "category", "c"));
        created.then().statusCode(201)
                .body("chunkSize", equalTo(CHUNK))
                .body("totalChunks", equalTo(total))
                .body("expiresAt", notNullValue())
                .body("storagePercentUsed", notNullValue())
                .body("storageAlert", equalTo(false));
        UUID uploadId = UUID.fromString(created.path("uploadId"));
        UUID videoId = UUID.fromString(created.path("videoId"));
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.RESERVED);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = total - 1; i >= 0; i--) {
                int index = i;
                puts.add(pool.submit(() -> api.putOk(uploadId, index, Api.chunk(data, CHUNK, index))
                        .body("index", equalTo(index)).body("totalChunks", equalTo(total))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        api.status(uploadId).then().statusCode(200)
                .body("state", equalTo("UPLOADING"))
                .body("uploadedChunks", equalTo(total))
                .body("missingChunks", empty())
                .body("bytesReceived", equalTo(data.length));

        api.complete(uploadId).then().statusCode(202)
                .body("videoId", equalTo(videoId.toString()))
                .body("status", equalTo("PROCESSING"));
        api.status(uploadId).then().body("state", equalTo("COMPLETED"));
        assertThat(quota().state(uploadId)).isEqualTo(QuotaStub.State.COMMITTED);
        try (var in = store.open(BlobKeys.original(videoId), 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }

        List<JsonNode> uploaded = Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(uploaded).hasSize(1);
        JsonNode event = uploaded.get(0);
        assertThat(event.path("type").asText()).isEqualTo("clipflow.video.uploaded");
        JsonNode d = event.path("data");
        assertThat(d.path("ownerId").asText()).isEqualTo(api.userId.toString());
        assertThat(d.path("blobKey").asText()).isEqualTo(BlobKeys.original(videoId));
        assertThat(d.path("sizeBytes").asLong()).isEqualTo(data.length);
        assertThat(d.path("sha256").asText()).isEqualTo(sha);
        assertThat(d.path("fileName").asText()).isEqualTo("parallel.mp4");
        assertThat(d.path("title").asText()).isEqualTo("Parallel");
        assertThat(d.path("description").asText()).isEqualTo("d");
        assertThat(d.path("category").asText()).isEqualTo("c");

        List<JsonNode> bandwidth = Events.withKey(Topics.USAGE_BANDWIDTH, api.userId.toString(), Duration.ofSeconds(15), 1);
        assertThat(bandwidth).singleElement().satisfies(b -> {
            assertThat(b.path("data").path("kind").asText()).isEqualTo("UPLOADED");
            assertThat(b.path("data").path("bytes").asLong()).isEqualTo(data.length);
        });
    }

    @Test
    void racingCompletionsPublishExactlyOnce() throws Exception {
        Api api = Api.newUser();
        byte[] data = video();
        UUID uploadId = api.open("race.mp4", data, CHUNK);
        for (int i = 0; i < chunks(data); i++) {
            api.putOk(uploadId, i, Api.chunk(data, CHUNK, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(() -> api.complete(uploadId).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(202);
        String videoId = api.status(uploadId).path("videoId");
        assertThat(Events.withKey(Topics.VIDEO_UPLOADED, videoId, Duration.ofSeconds(15), 1)).hasSize(1);
        api.complete(uploadId).then().statusCode(202).body("videoId", equalTo(videoId));
    }

    @Test
    void repeatedChunkWithSameBytesIsANoOpAndWithOtherBytesA409() {
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("dup.mp4", data, CHUNK);
        byte[] first = Api.chunk(data, CHUNK, 0);
        api.putOk(id, 0, first).body("uploadedChunks", equalTo(1));
        api.putOk(id, 0, first).body("uploadedChunks", equalTo(1)).body("bytesReceived", equalTo(CHUNK));
        byte[] other = first.clone();
        other[10] ^= 1;
        api.put(id, 0, other).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("upload.chunk_conflict"));
        api.status(id).then().body("uploadedChunks", equalTo(1));
    }

    @Test
    void checksumMismatchDiscardsTheChunk() {
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("checksum.mp4", data, CHUNK);
        byte[] chunk = Api.chunk(data, CHUNK, 1);
        api.req().contentType("application/octet-stream").header("Digest", "sha-256=" + Api.sha256Base64(new byte[] {1}))
                .body(chunk).put("/api/uploads/" + id + "/chunks/1")
                .then().statusCode(400).body("code", equalTo("upload.checksum_mismatch"));
        api.req().contentType("application/octet-stream")
                .header("Content-MD5", Base64.getEncoder().encodeToString(Api.digest("MD5", new byte[] {2})))
                .body(chunk).put("/api/uploads/" + id + "/chunks/1")
                .then().statusCode(400).body("code", equalTo("upload.checksum_mismatch"));
        api.req().contentType("application/octet-stream").header("Digest", "sha-256=not base64!")
                .body(chunk).put("/api/uploads/" + id + "/chunks/1")
                .then().statusCode(400).body("code", equalTo("upload.invalid_checksum_header"));
        api.status(id).then().body("uploadedChunks", equalTo(0)).body("bytesReceived", equalTo(0));
        // the right bytes with the right Content-MD5 are accepted afterwards
        api.req().contentType("application/octet-stream")
                .header("Content-MD5", Base64.getEncoder().encodeToString(Api.digest("MD5", chunk)))
                .body(chunk).put("/api/uploads/" + id + "/chunks/1")
                .then().statusCode(200).body("uploadedChunks", equalTo(1));
    }

    @Test
    void wrongLengthAndOutOfRangeIndexesAreRejected() {
        Api api = Api.newUser();
        byte[] data = video();
        int total = chunks(data);
        UUID id = api.open("length.mp4", data, CHUNK);
        api.put(id, 0, new byte[CHUNK - 1]).then().statusCode(400).body("code", equalTo("upload.chunk_length_mismatch"));
        api.put(id, 0, new byte[CHUNK + 1]).then().statusCode(400).body("code", equalTo("upload.chunk_length_mismatch"));
        api.put(id, total - 1, new byte[CHUNK]).then().statusCode(400)
                .body("code", equalTo("upload.chunk_length_mismatch"));
        api.put(id, total, new byte[1]).then().statusCode(400).body("code", equalTo("upload.chunk_index_out_of_range"));
        api.put(id, -1, new byte[1]).then().statusCode(400).body("code", equalTo("upload.chunk_index_out_of_range"));
        api.status(id).then().body("uploadedChunks", equalTo(0));
    }

    @Test
    void completingAnIncompleteUploadListsTheMissingChunks() {
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("incomplete.mp4", data, CHUNK);
        api.putOk(id, 1, Api.chunk(data, CHUNK, 1));
        int total = chunks(data);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (i != 1) {
                missing.add(i);
            }
        }
        api.complete(id).then().statusCode(409).body("code", equalTo("upload.incomplete"))
                .body("missingChunks", equalTo(missing));
        api.status(id).then().body("missingChunks", equalTo(missing)).body("state", equalTo("UPLOADING"));
    }

    @Test
    void resumeAfterInterruptionFromTheStoredState() {
        // Every bit of session state lives in PostgreSQL: status is computed from the rows, so a
        // client (or another replica) resumes exactly where the last acknowledged chunk left off.
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("resume.mp4", data, CHUNK);
        int total = chunks(data);
        for (int i = 0; i < total; i += 2) {
            api.putOk(id, i, Api.chunk(data, CHUNK, i));
        }
        List<Integer> missing = api.status(id).then().statusCode(200).extract().path("missingChunks");
        assertThat(missing).isNotEmpty().allMatch(i -> i % 2 == 1);
        for (int i : missing) {
            api.putOk(id, i, Api.chunk(data, CHUNK, i));
        }
        api.complete(id).then().statusCode(202);
    }

    @Test
    void wholeFileChecksumIsVerified() {
        Api api = Api.newUser();
        byte[] data = video();
        Response created = api.create(Map.of("fileName", "sha.mp4", "size", data.length, "chunkSize", CHUNK,
                "sha256", Api.sha256Hex(new byte[] {9})));
        UUID id = UUID.fromString(created.then().statusCode(201).extract().path("uploadId"));
        UUID videoId = UUID.fromString(created.path("videoId"));
        for (int i = 0; i < chunks(data); i++) {
            api.putOk(id, i, Api.chunk(data, CHUNK, i));
        }
        api.complete(id).then().statusCode(422).body("code", equalTo("upload.checksum_mismatch"));
        api.status(id).then().body("state", equalTo("FAILED"));
        assertThat(store.list(BlobKeys.originalPrefix(videoId))).isEmpty();
        assertThat(quota().state(id)).isEqualTo(QuotaStub.State.RELEASED);
    }

    @Test
    void aFileThatIsNotAVideoFailsWithAReasonAndReleasesEverything() {
        Api api = Api.newUser();
        byte[] data = new byte[10_000];
        new java.util.Random(3).nextBytes(data);
        Response created = api.create(Map.of("fileName", "noise.mp4", "size", data.length, "chunkSize", CHUNK));
        UUID id = UUID.fromString(created.then().statusCode(201).extract().path("uploadId"));
        UUID videoId = UUID.fromString(created.path("videoId"));
        for (int i = 0; i < chunks(data); i++) {
            api.putOk(id, i, Api.chunk(data, CHUNK, i));
        }
        api.complete(id).then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("upload.not_a_video"));
        api.status(id).then().body("state", equalTo("FAILED")).body("failureReason", notNullValue());
        assertThat(store.list(BlobKeys.originalPrefix(videoId))).isEmpty();
        assertThat(quota().state(id)).isEqualTo(QuotaStub.State.RELEASED);
        List<JsonNode> failed = Events.withKey(Topics.VIDEO_FAILED, videoId.toString(), Duration.ofSeconds(15), 1);
        assertThat(failed).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("stage").asText()).isEqualTo("UPLOAD");
            assertThat(e.path("data").path("reason").asText()).contains("not a video");
        });
        assertThat(Events.withKey(Topics.VIDEO_UPLOADED, videoId.toString(), Duration.ofSeconds(1), 1)).isEmpty();
        // the name is free again
        api.create(Map.of("fileName", "noise.mp4", "size", 10, "chunkSize", 16)).then().statusCode(201);
    }

    @Test
    void abortDeletesChunksReleasesTheReservationAndFreesTheName() {
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("abort.mp4", data, CHUNK);
        api.putOk(id, 0, Api.chunk(data, CHUNK, 0));
        api.req().delete("/api/uploads/" + id).then().statusCode(204);
        api.req().delete("/api/uploads/" + id).then().statusCode(204);
        api.status(id).then().body("state", equalTo("ABORTED"));
        assertThat(quota().state(id)).isEqualTo(QuotaStub.State.RELEASED);
        api.put(id, 1, Api.chunk(data, CHUNK, 1)).then().statusCode(410).body("code", equalTo("upload.aborted"));
        api.open("abort.mp4", data, CHUNK);
    }

    @Test
    void sameFileNameOfALiveVideoIsAConflict() {
        Api api = Api.newUser();
        byte[] data = video();
        api.uploadWhole("taken.mp4", data, CHUNK);
        api.create(Map.of("fileName", "taken.mp4", "size", data.length)).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("upload.duplicate_file_name"));
        // another user may use the name
        Api.newUser().create(Map.of("fileName", "taken.mp4", "size", data.length)).then().statusCode(201);
    }

    @Test
    void overQuotaIsA403WithStorageFiguresAndNothingRemains() {
        Api api = Api.newUser();
        quota().limit(api.userId, 1000);
        api.create(Map.of("fileName", "big.mp4", "size", 2000)).then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("quota.storage_exceeded"))
                .body("storage.limitBytes", equalTo(1000));
        api.req().get("/api/uploads").then().statusCode(200).body("items", empty()).body("total", equalTo(0));
        // the name is not held by the refused attempt
        api.create(Map.of("fileName", "big.mp4", "size", 900)).then().statusCode(201)
                .body("storagePercentUsed", equalTo(90.0f)).body("storageAlert", equalTo(true));
    }

    @Test
    void quotaUnavailableIsA503AndNothingRemains() {
        Api api = Api.newUser();
        quota().down(true);
        try {
            api.create(Map.of("fileName", "down.mp4", "size", 100)).then().statusCode(503)
                    .body("code", equalTo("quota.unavailable"));
        } finally {
            quota().down(false);
        }
        api.create(Map.of("fileName", "down.mp4", "size", 100)).then().statusCode(201);
    }

    @Test
    void limitsAreClear4xxProblems() {
        Api api = Api.newUser();
        api.create(Map.of("fileName", "huge.mp4", "size", 20L * 1024 * 1024 * 1024)).then().statusCode(413)
                .body("code", equalTo("upload.file_too_large"));
        api.create(Map.of("fileName", "doc.pdf", "size", 100, "contentType", "application/pdf")).then().statusCode(415)
                .body("code", equalTo("upload.unsupported_content_type"));
        api.create(Map.of("fileName", "c.mp4", "size", 1_000_000_000, "chunkSize", 1_000_000_000)).then()
                .statusCode(400).body("code", equalTo("upload.invalid_chunk_size"));
        api.create(Map.of("fileName", "../etc/passwd", "size", 100)).then().statusCode(400)
                .body("code", equalTo("upload.invalid_file_name"));
        api.create(Map.of("size", 100)).then().statusCode(400).body("code", equalTo("request.invalid"));
        api.create(Map.of("fileName", "neg.mp4", "size", -1)).then().statusCode(400);
        api.create(Map.of("fileName", "x.mp4", "size", 10, "sha256", "xyz")).then().statusCode(400);
        for (int i = 0; i < 5; i++) {
            api.create(Map.of("fileName", "open-" + i + ".mp4", "size", 100)).then().statusCode(201);
        }
        api.create(Map.of("fileName", "one-too-many.mp4", "size", 100)).then().statusCode(429)
                .body("code", equalTo("upload.too_many_sessions"));
        api.req().get("/api/uploads").then().body("total", equalTo(5));
        // found by the system tests' parameter sweep: a negative page or size was a 500
        api.req().queryParam("page", -1).get("/api/uploads").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("request.invalid_paging"));
        api.req().queryParam("size", -1).get("/api/uploads").then().statusCode(400)
                .body("code", equalTo("request.invalid_paging"));
    }

    @Test
    void anotherUsersUploadDoesNotExist() {
        Api owner = Api.newUser();
        byte[] data = video();
        UUID id = owner.open("mine.mp4", data, CHUNK);
        Api other = Api.newUser();
        other.status(id).then().statusCode(404).body("code", equalTo("not_found"));
        other.put(id, 0, Api.chunk(data, CHUNK, 0)).then().statusCode(404);
        other.complete(id).then().statusCode(404);
        other.req().delete("/api/uploads/" + id).then().statusCode(404);
        owner.status(id).then().statusCode(200).body("state", equalTo("UPLOADING"));
        owner.req().get("/api/uploads/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void listShowsTheCallersSessions() {
        Api api = Api.newUser();
        byte[] data = video();
        UUID id = api.open("listed.mp4", data, CHUNK);
        api.req().get("/api/uploads?page=0&size=10").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items.uploadId", contains(id.toString()))
                .body("items[0].missingChunks.size()", equalTo(chunks(data)));
    }

}
