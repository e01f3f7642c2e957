package dev.clipflow.upload.session.service;

import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import dev.clipflow.upload.support.Api;
import dev.clipflow.upload.support.TestClock;
import dev.clipflow.upload.support.Videos;
import dev.clipflow.upload.tus.service.ConcatStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A completion whose hashing outlasts its lease (a tus concatenation of many GB, read back from staging) keeps
 * its claim by renewing the lease as it goes and stores how far it got each time; one that was taken over anyway
 * stops at its next renewal, and the completion that took it over goes on from the stored point. Before, the
 * hashing renewed nothing and stored its digest only at its end: past the lease the next request or the sweeper
 * took the completion over and hashed everything again from the start, while the first went on.
 */
@QuarkusTest
class CompletionLeaseTest {

    static final Duration LEASE = Duration.ofMinutes(2);
    static final int PARTS = 3;
    static final int PATCHES_PER_PART = 4;

    @Inject
    UploadSessionRepository sessions;

    @Inject
    SessionService sessionService;

    @Inject
    ConcatStore concatStore;

    @Inject
    ConcatFinish concat;

    @Inject
    RunningDigest runningDigest;

    @Inject
    MeterRegistry registry;

    @Inject
    CompletionService completion;

    private Duration moved = Duration.ZERO;

    @AfterEach
    void clockBack() {
        TestClock.get().advance(moved.negated());
        moved = Duration.ZERO;
    }

    private void advance(Duration by) {
        TestClock.get().advance(by);
        moved = moved.plus(by);
    }

    private double readBack() {
        return registry.get("clipflow.upload.digest.readback.bytes").counter().count();
    }

    private UUID claimCompletion(UUID id) {
        UUID claim = UUID.randomUUID();
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.claimCompletion(id, claim,
                TestClock.get().instant()))).isTrue();
        return claim;
    }

    private void takeOver(UUID id, UUID claim) {
        Instant now = TestClock.get().instant();
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.takeOverCompletion(id, claim,
                now.plus(Duration.ofDays(1)), now))).isTrue();
    }

    private Instant leaseAt(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (Instant) sessions.getEntityManager()
                .createNativeQuery("select completion_lease_at from upload_session where id = ?1").setParameter(1, id)
                .getSingleResult());
    }

    @Test
    void theLeaseIsRenewedAThirdOfTheWayThroughWithACheckpointAndATakenOverCompletionStops() {
        Api api = Api.newUser();
        UUID id = api.open("lease.mp4", Videos.mp4Bytes(), 4096);
        UUID claim = claimCompletion(id);
        Instant claimed = leaseAt(id);
        AtomicInteger checkpoints = new AtomicInteger();
        CompletionLease lease = new CompletionLease(sessions, TestClock.get(), LEASE, id, claim);

        advance(Duration.ofSeconds(30));
        lease.keep(checkpoints::incrementAndGet);
        assertThat(checkpoints).as("not yet a third of the lease").hasValue(0);
        assertThat(leaseAt(id)).isEqualTo(claimed);

        advance(Duration.ofSeconds(15));
        Instant due = TestClock.get().instant();
        lease.keep(checkpoints::incrementAndGet);
        assertThat(checkpoints).hasValue(1);
        assertThat(Duration.between(due, leaseAt(id)).abs()).isLessThan(Duration.ofSeconds(5));

        advance(Duration.ofSeconds(50));
        takeOver(id, UUID.randomUUID());
        assertThatThrownBy(() -> lease.keep(checkpoints::incrementAndGet))
                .isInstanceOf(CompletionLease.TakenOver.class);
        assertThat(checkpoints).as("stored before it found out").hasValue(2);
    }

    @Test
    void aConcatenationTakenOverWhileItHashesStopsAndTheNextGoesOnFromItsCheckpoint() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        List<UUID> parts = new ArrayList<>();
        int partSize = (data.length + PARTS - 1) / PARTS;
        for (int p = 0; p < PARTS; p++) {
            parts.add(partial(api, Arrays.copyOfRange(data, p * partSize, Math.min(data.length, (p + 1) * partSize))));
        }
        UploadSession fin = finalUpload(api.userId, parts, data.length);
        long firstPart = partSize;

        // the first completion: its lease is due at the first chunk it reads back, and someone took it over
        UUID first = claimCompletion(fin.id);
        CompletionLease firstLease = new CompletionLease(sessions, TestClock.get(), LEASE, fin.id, first);
        advance(Duration.ofMinutes(1));
        UUID second = UUID.randomUUID();
        takeOver(fin.id, second);
        double before = readBack();
        assertThatThrownBy(() -> concat.digest(fin, firstLease)).isInstanceOf(CompletionLease.TakenOver.class);
        long readBackFirst = (long) (readBack() - before);
        assertThat(readBackFirst).as("one chunk of the second part, then the renewal failed")
                .isEqualTo((partSize + PATCHES_PER_PART - 1) / PATCHES_PER_PART);
        long stored = QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(fin.id)).bytes();
        assertThat(stored).as("checkpoint: the first part (hashed as it arrived) and the chunk read back")
                .isEqualTo(firstPart + readBackFirst);

        // the completion that took over reads back only what is left, and the file's SHA-256 is right
        CompletionLease secondLease = new CompletionLease(sessions, TestClock.get(), LEASE, fin.id, second);
        double beforeSecond = readBack();
        concat.digest(fin, secondLease);
        assertThat(readBack() - beforeSecond).isEqualTo((double) (data.length - stored));
        assertThat(runningDigest.finish(fin.id, secondLease)).isEqualTo(Api.sha256Hex(data));
    }

    /**
     * A completion that finds the upload wrong (here: the file's SHA-256 is not the one given at the start) after
     * another completion took its claim over does not answer with its failure: the claim is the other one's, which
     * decides the outcome. It answered 422 while the upload went on completing, and a client retrying on that
     * answer uploaded again what was being completed.
     */
    @Test
    void aCompletionThatFailsAfterItWasTakenOverLeavesTheOutcomeToTheOtherOne() {
        Api api = Api.newUser();
        byte[] data = Videos.mp4Bytes();
        int chunkSize = 16_384;
        Response created = api.create(java.util.Map.of("fileName", "taken-over.mp4", "size", data.length,
                "chunkSize", chunkSize, "contentType", "video/mp4", "sha256", Api.sha256Hex(new byte[] {1}),
                "title", "t", "description", "d", "category", "c"));
        UUID id = UUID.fromString(created.then().statusCode(201).extract().path("uploadId"));
        for (int index = 0; index * chunkSize < data.length; index++) {
            api.putOk(id, index, Api.chunk(data, chunkSize, index));
        }
        UUID first = claimCompletion(id);
        UUID second = UUID.randomUUID();
        takeOver(id, second);

        assertThat(completion.finish(sessionService.owned(api.userId, id), first).uploadId()).isEqualTo(id);
        UploadSession now = sessionService.owned(api.userId, id);
        assertThat(now.state).as("still the other completion's").isEqualTo(UploadSession.State.COMPLETING);
        assertThat(now.failureCode).isNull();

        // the completion that holds the claim finds the same and fails the upload
        assertThatThrownBy(() -> completion.finish(sessionService.owned(api.userId, id), second))
                .isInstanceOf(dev.clipflow.contracts.problem.ProblemException.class)
                .hasMessageContaining("SHA-256");
        assertThat(sessionService.owned(api.userId, id).state).isEqualTo(UploadSession.State.FAILED);
    }

    /** A partial tus upload of {@code bytes}, sent in {@value #PATCHES_PER_PART} PATCHes. */
    private static UUID partial(Api api, byte[] bytes) {
        Response created = api.req().header("Tus-Resumable", "1.0.0").header("Upload-Length", bytes.length)
                .header("Upload-Concat", "partial").post("/api/tus/");
        created.then().statusCode(201);
        String location = created.header("Location");
        int step = (bytes.length + PATCHES_PER_PART - 1) / PATCHES_PER_PART;
        for (int at = 0; at < bytes.length; at += step) {
            api.req().header("Tus-Resumable", "1.0.0").header("Upload-Offset", at)
                    .contentType("application/offset+octet-stream")
                    .body(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + step))).patch(location)
                    .then().statusCode(204);
        }
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    /** A final upload of {@code parts}, made as {@code TusConcatenation.createFinal} makes it, not completed yet. */
    private UploadSession finalUpload(UUID owner, List<UUID> parts, long size) {
        UUID taker = UUID.randomUUID();
        concatStore.take(owner, parts, taker, Long.MAX_VALUE, TestClock.get().instant());
        UploadSession opened = sessionService.open(new NewUpload(owner, UploadSession.Protocol.TUS, "final.mp4", size,
                null, "video/mp4", null, "T", "d", "c", null)).session();
        concatStore.recordFinal(opened.id, parts, taker);
        return sessionService.owned(owner, opened.id);
    }
}
