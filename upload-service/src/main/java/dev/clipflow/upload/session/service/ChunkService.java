package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.storage.staging.ChunkBuffers;
import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.ingest.ChunkInProgress;
import dev.clipflow.upload.ingest.ChunkStatements;
import dev.clipflow.upload.ingest.DigestRelay;
import dev.clipflow.upload.ingest.UploadStore;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.SavableDigest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Receives chunks (and tus PATCH segments): claims the chunk in the database so only one request
 * writes it, streams the body to staging while checking it (CRC32C fingerprint, plus the digests
 * the client sent), and counts it only when length and checksums are right; then advances the
 * upload's running whole-file SHA-256. A chunk that arrives while the data before it is still
 * arriving takes the running digest over from it ({@link DigestRelay}), so chunks sent in parallel
 * and in order are all hashed as they pass. A repeated chunk is checked without being written: same
 * bytes, no-op; different bytes, 409.
 */
@ApplicationScoped
public class ChunkService {

    /**
     * A chunk this close after the stored digest (in chunks) waits for the data before it even when none of it is
     * being received here yet: chunks sent at once by one client are claimed in any order.
     */
    private static final int NEAR_GAP_CHUNKS = 8;
    /** How long such a chunk waits for the data before it to be claimed (a client that skipped it loses no more). */
    private static final Duration CLAIM_RACE = Duration.ofMillis(50);

    private final UploadSessionRepository sessions;
    private final UploadStore store;
    private final SessionService sessionService;
    private final UploadStaging staging;
    private final RunningDigest runningDigest;
    private final UploadMetrics metrics;
    private final DigestRelay relay;
    private final UploadConfig config;
    private final ChunkStatements statements;

    public ChunkService(UploadSessionRepository sessions, UploadStore store, SessionService sessionService,
            UploadStaging staging, RunningDigest runningDigest, UploadMetrics metrics, DigestRelay relay,
            UploadConfig config, ChunkStatements statements) {
        this.statements = statements;
        this.metrics = metrics;
        this.relay = relay;
        this.config = config;
        this.sessions = sessions;
        this.store = store;
        this.sessionService = sessionService;
        this.staging = staging;
        this.runningDigest = runningDigest;
    }

    /**
     * {@code PUT /api/uploads/{id}/chunks/{index}}: the session is read and the chunk claimed in one
     * statement, and the count gives the session's figures for the answer.
     */
    public UploadReplies.ChunkProgress putChunk(UUID ownerId, UUID uploadId, int index, InputStream body,
            Long contentLength, Checksums.Expected expected) {
        UploadStore.SessionRead read = store.readAndClaim(uploadId, ownerId, UploadSession.Protocol.CHUNKED, index,
                contentLength == null ? -1 : contentLength, true).orElse(null);
        if (read == null || !read.session().ownerId.equals(ownerId)) {
            throw ProblemException.notFound("Upload " + uploadId);
        }
        UploadSession session = read.session();
        Optional<UploadStore.Counted> counted;
        if (read.claimed() != null) {
            counted = receive(session, index, (long) index * session.chunkSize, session.chunkLength(index), body,
                    expected, read.claimed());
        } else {
            if (session.protocol != UploadSession.Protocol.CHUNKED) {
                throw ProblemException.conflict("upload.wrong_protocol",
                        "This upload takes data through " + session.protocol + ".");
            }
            sessionService.requireUploading(session);
            if (index < 0 || index >= session.totalChunks) {
                throw ProblemException.badRequest("upload.chunk_index_out_of_range",
                        "Chunk index " + index + " is outside 0.." + (session.totalChunks - 1) + ".");
            }
            long length = session.chunkLength(index);
            if (contentLength != null && contentLength >= 0 && contentLength != length) {
                throw lengthProblem(index, length, contentLength);
            }
            counted = write(session, index, (long) index * session.chunkSize, length, body, expected);
        }
        if (counted.isPresent()) {
            int received = counted.get().chunksReceived();
            return new UploadReplies.ChunkProgress(index, received, session.totalChunks,
                    counted.get().bytesReceived(), received == session.totalChunks);
        }
        UploadSession now = sessionService.owned(ownerId, uploadId);
        return new UploadReplies.ChunkProgress(index, now.chunksReceived, now.totalChunks, now.bytesReceived,
                now.chunksReceived == now.totalChunks);
    }

    /** Receives a chunk this request claimed ({@link UploadStore#readAndClaim}). */
    public Optional<UploadStore.Counted> receive(UploadSession session, int index, long offset, long length,
            InputStream body, Checksums.Expected expected, UploadStore.Claimed claimed) {
        try {
            return received(session, index, offset, length, body, expected, claimed);
        } finally {
            store.forget(claimed.id());
        }
    }

    /**
     * Writes one chunk or segment of a session that is UPLOADING. Returns how it counted (with the
     * session's figures right after) when it was new, empty when the same bytes had been received before.
     */
    public Optional<UploadStore.Counted> write(UploadSession session, int index, long offset, long length, InputStream body,
            Checksums.Expected expected) {
        UploadStore.Claim taken = store.claim(session.id, index, offset, length);
        if (taken instanceof UploadStore.Taken before) {
            if (before.busy()) {
                throw inProgress(session, index);
            }
            repeated(session, index, length, body, expected);
            return Optional.empty();
        }
        return receive(session, index, offset, length, body, expected, (UploadStore.Claimed) taken);
    }

    private Optional<UploadStore.Counted> received(UploadSession session, int index, long offset, long length, InputStream body,
            Checksums.Expected expected, UploadStore.Claimed claimed) {
        // in-order data continues the running whole-file SHA-256 over the same bytes as they pass
        SavableDigest running = claimed.digestBytes() == offset ? RunningDigest.resume(claimed.digestState(), offset)
                : null;
        Duration wait = config.digestHandoffWait();
        if (session.protocol != UploadSession.Protocol.CHUNKED || wait.isZero()) {
            return receivedHashing(session, index, offset, length, body, expected, claimed.id(), running, null, null,
                    false);
        }
        relay.receiving(session.id, offset);
        DigestRelay.Slot slot = null;
        try {
            boolean behind = relay.behind(session.id, offset);
            long gap = offset - claimed.digestBytes();
            if (running == null && (behind || gap <= NEAR_GAP_CHUNKS * length)
                    && (relay.inFlight(session.id, claimed.digestBytes(), offset, session.chunkSize)
                            || relay.worthWaiting(session.id, gap, wait))) {
                // the data right before is arriving here (or, a few chunks sent at once, is about to be claimed): its
                // digest may come soon (DigestRelay)
                slot = relay.waitAt(session.id, offset);
                UploadSessionRepository.DigestRow stored = statements.digestRow(session.id);
                byte[] state = storedAt(stored, session.id, offset); // saved between our claim and our slot
                if (state == null && (!relay.noneComing(session.id, offset)
                        || relay.advancerNext(session.id, offset, stored.bytes(), session.chunkSize))) {
                    Duration first = behind || wait.compareTo(CLAIM_RACE) < 0 ? wait : CLAIM_RACE;
                    state = slot.awaitHashed(first);
                    if (state == null && !behind && relay.behind(session.id, offset)) {
                        state = slot.awaitHashed(wait.minus(first)); // the data before came meanwhile
                    }
                }
                running = state == null ? null : RunningDigest.resume(state, offset);
            }
            if (running == null) {
                relay.noHandOver(session.id, offset + length); // a chunk waiting at our end need not
            }
            Optional<UploadStore.Counted> counted = receivedHashing(session, index, offset, length, body, expected,
                    claimed.id(), running, running == null ? null : slot,
                    running == null ? null : running.getEncodedState(), true);
            relay.received(session.id, offset); // still part of the gap behind the chunks in flight
            return counted;
        } finally {
            relay.done(session.id, offset, offset + length);
            if (slot != null) {
                relay.release(session.id, offset);
            }
        }
    }

    /** The stored digest's state when it stands at {@code offset}, else null. */
    private byte[] storedAt(UploadSessionRepository.DigestRow row, UUID uploadId, long offset) {
        if (row.bytes() != offset) {
            return null;
        }
        relay.stored(uploadId, offset, row.state());
        return row.state();
    }

    private Optional<UploadStore.Counted> receivedHashing(UploadSession session, int index, long offset, long length,
            InputStream body, Checksums.Expected expected, UUID claim, SavableDigest running, DigestRelay.Slot waited,
            byte[] handedOver, boolean relayed) {
        Checksums.Result result;
        long started = System.nanoTime();
        try {
            if (body instanceof ChunkBuffers buffers) { // a request body: its blocks go to staging as they are
                Checksums.DigestingBuffers digesting = new Checksums.DigestingBuffers(buffers, expected, running);
                if (relayed && running != null) {
                    // the chunk after this one may go on as soon as the last byte is hashed, while this one is
                    // flushed and checked: it counts with its state only once this one counted with its own
                    SavableDigest digest = running;
                    digesting.atEnd(() -> {
                        relay.hashed(session.id, offset + length, digest.getEncodedState());
                        relay.streamed(session.id, length, System.nanoTime() - started);
                    });
                } else if (relayed) {
                    // its rate counts too: else one slow chunk's figure would stay and no chunk after it would wait
                    digesting.atEnd(() -> relay.streamed(session.id, length, System.nanoTime() - started));
                }
                // read back soon, so kept where that read is cheap (the page cache): a chunk after a gap (hashed when
                // the gap closes) and a tus partial upload (hashed and appended when its final upload names it)
                staging.writeChunk(session.id, index, offset, digesting, length,
                        running == null || session.tusConcat == UploadSession.Concat.PARTIAL);
                result = digesting.finish(expected);
            } else {
                Checksums.DigestingStream digesting = new Checksums.DigestingStream(body, expected, false, running);
                staging.writeChunk(session.id, index, offset, digesting, length);
                result = digesting.finish(expected);
            }
        } catch (UploadStaging.ChunkLengthException e) {
            abandon(session, index, claim);
            throw lengthProblem(index, length, e.actual() > length ? null : e.actual());
        } catch (UncheckedIOException e) {
            abandon(session, index, claim);
            throw new ProblemException(400, "upload.body_incomplete", "Bad Request",
                    "The chunk's body ended before all its bytes arrived.");
        } catch (RuntimeException e) {
            abandon(session, index, claim);
            throw e;
        }
        if (!result.matches()) {
            abandon(session, index, claim);
            throw checksumProblem(expected, index);
        }
        byte[] state = running == null ? null : running.getEncodedState();
        if (waited != null && state != null && !waited.awaitStored(handedOver, config.digestHandoffWait())) {
            state = null; // the stored digest will not stand at this chunk's start: it is read back later
        }
        UploadStore.Counted counted = store.count(session.id, index, claim, offset, length, result.fingerprint(), state,
                session.protocol == UploadSession.Protocol.CHUNKED);
        if (relayed && counted.carried()) {
            relay.stored(session.id, offset + length, state);
        }
        if (!counted.counted()) {
            abandon(session, index, claim);
            UploadSession current = sessionService.owned(session.ownerId, session.id);
            if (current.state != UploadSession.State.UPLOADING && current.state != UploadSession.State.COMPLETING
                    && current.state != UploadSession.State.COMPLETED) {
                staging.discard(session.id); // the session ended while we wrote: leave nothing behind
            }
            sessionService.requireUploading(current);
            throw ProblemException.conflict("upload.chunk_conflict", "Chunk " + index + " changed while it was written.");
        }
        metrics.received(session.protocol, length);
        if (counted.advanceDigest()) {
            runningDigest.advance(session.id); // out-of-order chunks are read back when the gap before them closes
        }
        return Optional.of(counted);
    }

    private static ChunkInProgress inProgress(UploadSession session, int index) {
        return session.protocol == UploadSession.Protocol.TUS
                ? new ChunkInProgress("tus.locked", "Another PATCH of this upload is in progress; retry shortly.")
                : new ChunkInProgress("upload.chunk_in_progress",
                        "Chunk " + index + " is being received by another request; retry shortly.");
    }

    private void repeated(UploadSession session, int index, long length, InputStream body,
            Checksums.Expected expected) {
        UploadSessionRepository.ChunkRow row = QuarkusTransaction.requiringNew()
                .call(() -> sessions.chunk(session.id, index)).orElse(null);
        if (row == null || !row.done()) {
            throw inProgress(session, index);
        }
        if (row.offset() != (long) index * session.chunkSize && session.protocol == UploadSession.Protocol.CHUNKED) {
            throw new IllegalStateException("Chunk offset mismatch");
        }
        Checksums.DigestingStream digesting = new Checksums.DigestingStream(body, expected,
                row.fingerprint() != null && row.fingerprint().startsWith("sha-256:"));
        long read;
        try {
            read = drain(digesting, length + 1);
        } catch (IOException e) {
            throw new ProblemException(400, "upload.body_incomplete", "Bad Request",
                    "The chunk's body ended before all its bytes arrived.");
        }
        if (read != length) {
            throw lengthProblem(index, length, read > length ? null : read);
        }
        Checksums.Result result = digesting.finish(expected);
        if (!result.matches()) {
            throw checksumProblem(expected, index);
        }
        if (!result.sameAs(row.fingerprint())) {
            throw ProblemException.conflict("upload.chunk_conflict",
                    "Chunk " + index + " was received before with different bytes.");
        }
    }

    private void abandon(UploadSession session, int index, UUID claim) {
        store.release(session.id, index, claim);
        try {
            staging.discardChunk(session.id, index);
        } catch (RuntimeException ignored) {
            // the part is overwritten by the next attempt and deleted with the session
        }
    }

    private static long drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0) {
            total += n;
        }
        return total;
    }

    static ProblemException lengthProblem(int index, long expected, Long actual) {
        return new ProblemException(Problem.of(400, "upload.chunk_length_mismatch", "Bad Request",
                "Chunk " + index + " must be exactly " + expected + " bytes"
                        + (actual == null ? "; more arrived." : "; " + actual + " arrived."))
                .with("expectedBytes", expected));
    }

    static ProblemException checksumProblem(Checksums.Expected expected, int index) {
        int status = expected.mismatchStatus();
        return new ProblemException(status, "upload.checksum_mismatch", status == 460 ? "Checksum Mismatch" : "Bad Request",
                "The checksum of chunk " + index + " does not match its bytes; the chunk was discarded.");
    }
}
