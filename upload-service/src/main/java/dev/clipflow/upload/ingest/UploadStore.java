package dev.clipflow.upload.ingest;

import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The transactions of receiving chunks, each one short: claim a chunk for one request, count it
 * when its bytes are in, release it when they are not. A claim names its replica and request
 * ({@link WriterLease}); a claim whose replica is gone, or whose request ended in this replica
 * without releasing it, is taken over at once; one older than {@code stale-chunk-claim} too.
 */
@ApplicationScoped
public class UploadStore {

    private final UploadSessionRepository sessions;
    private final ChunkStatements statements;
    private final WriterLease lease;
    private final UploadConfig config;
    private final Clock clock;

    public UploadStore(UploadSessionRepository sessions, ChunkStatements statements, WriterLease lease,
            UploadConfig config, Clock clock) {
        this.sessions = sessions;
        this.statements = statements;
        this.lease = lease;
        this.config = config;
        this.clock = clock;
    }

    /** What claiming a chunk gave. */
    public sealed interface Claim {
    }

    /**
     * This request writes the chunk; pass {@code id} to {@link #count} or {@link #release}. With the
     * running digest as stored when it was claimed ({@code digestBytes} of the file hashed, its state),
     * so a chunk that continues it is hashed as it passes.
     */
    public record Claimed(UUID id, long digestBytes, byte[] digestState) implements Claim {
    }

    /** The chunk was received before (or is being received by a live request when {@code busy}). */
    public record Taken(boolean busy) implements Claim {
    }

    /** A session as read by {@link #readAndClaim}, with this request's claim when the chunk was claimed with it. */
    public record SessionRead(UploadSession session, Claimed claimed) {
    }

    /**
     * One statement, one round trip: reads the caller's session and claims the chunk (tus: the
     * segment at {@code at}; chunked: chunk {@code at}) when it may be written right away (see
     * {@link ChunkStatements#readAndClaim}). Without a claim the caller checks the session as
     * read and, when the request is right after all (its chunk has a row already), goes through
     * {@link #claim}. Empty when there is no such session.
     */
    public Optional<SessionRead> readAndClaim(UUID uploadId, UUID ownerId, UploadSession.Protocol protocol, long at,
            long length, boolean mayClaim) {
        UUID claim = lease.begin();
        Optional<UploadSessionRepository.SessionClaim> read;
        try {
            read = statements.readAndClaim(uploadId, ownerId, protocol, at, length, config.maxChunkSize(), mayClaim,
                    lease.instance(), claim, clock.instant());
        } catch (RuntimeException e) {
            lease.end(claim);
            throw e;
        }
        if (read.isEmpty() || !read.get().claimed()) {
            lease.end(claim);
            return read.map(r -> new SessionRead(r.session(), null));
        }
        UploadSession session = read.get().session();
        return Optional.of(new SessionRead(session, new Claimed(claim, session.digestBytes, session.digestState)));
    }

    public Claim claim(UUID uploadId, int index, long offset, long length) {
        UUID claim = lease.begin();
        Claim result;
        try {
            result = QuarkusTransaction.requiringNew().call(() -> {
                Instant now = clock.instant();
                Optional<UploadSessionRepository.DigestRow> digest = sessions.claimChunk(uploadId, index, offset,
                        length, lease.instance(), claim, now);
                if (digest.isPresent()) {
                    return new Claimed(claim, digest.get().bytes(), digest.get().state());
                }
                Optional<UploadSessionRepository.WritingRow> writing = sessions.writingForUpdate(uploadId, index);
                if (writing.isEmpty()) {
                    return new Taken(sessions.chunk(uploadId, index).isEmpty()); // released just now: retry
                }
                UploadSessionRepository.WritingRow row = writing.get();
                if (!writerGone(row) && !row.updatedAt().isBefore(now.minus(config.staleChunkClaim()))) {
                    return new Taken(true);
                }
                return sessions.takeOverClaim(uploadId, index, row.claim(), offset, length, lease.instance(), claim,
                        now) ? claimed(uploadId, claim) : new Taken(true);
            });
        } catch (RuntimeException e) {
            lease.end(claim);
            throw e;
        }
        if (!(result instanceof Claimed)) {
            lease.end(claim);
        }
        return result;
    }

    private Claimed claimed(UUID uploadId, UUID claim) {
        UploadSessionRepository.DigestRow digest = sessions.digestRow(uploadId);
        return new Claimed(claim, digest.bytes(), digest.state());
    }

    private boolean writerGone(UploadSessionRepository.WritingRow row) {
        if (row.writer() == null || row.claim() == null) {
            return false; // claimed by an older release: only the stale-claim age frees it
        }
        if (row.writer().equals(lease.instance())) {
            return !lease.active(row.claim());
        }
        return sessions.writerGone(WriterLease.key(row.writer()));
    }

    /**
     * What counting gave: whether the chunk counted, whether the running digest still has to be
     * advanced (its state was not carried over this chunk, or received chunks continue it), and the
     * session's received chunks and bytes right after it counted, and whether the chunk's digest state was
     * stored with it (the running digest then stands at the chunk's end).
     */
    public record Counted(boolean counted, boolean advanceDigest, int chunksReceived, long bytesReceived,
            boolean carried) {
    }

    /**
     * One statement, one round trip ({@link ChunkStatements#countChunk}): counts a written chunk on its session (only
     * while the session is uploading and the claim is still this request's; otherwise nothing changes) and,
     * when the chunk was hashed as it passed ({@code digestState} over the file up to the chunk's
     * end), stores the running digest if it still stands at the chunk's start (an advancer holding
     * the digest lock only moves it over received chunks, and this one is not received until this
     * commits, so the guard is enough). Ends the claim either way.
     *
     * <p>When it carried the digest and {@code othersMayFollow} (chunks may arrive out of order: not tus), whether a
     * received chunk continues it is looked at again by a statement of its own once the count has committed: a chunk
     * after it counted by a statement that committed while this count waited for the session's row has
     * already looked for the digest, before this one counted, and the counting statement saw the database as of
     * its start (PostgreSQL's read committed). Without that second look nobody advances the digest over it.
     */
    public Counted count(UUID uploadId, int index, UUID claim, long offset, long length, String fingerprint,
            byte[] digestState, boolean othersMayFollow) {
        try {
            var counted = statements.countChunk(uploadId, index, claim, offset, length, fingerprint, digestState,
                    clock.instant());
            if (counted.isEmpty()) {
                return new Counted(false, false, 0, 0, false);
            }
            var row = counted.get();
            boolean carried = digestState != null && row.digestBytes() == offset + length;
            boolean continued = row.continued()
                    || carried && othersMayFollow && statements.receivedAt(uploadId, offset + length);
            return new Counted(true, !carried || continued, row.chunksReceived(), row.bytesReceived(), carried);
        } finally {
            lease.end(claim);
        }
    }

    /** Ends a claim's life in this replica (idempotent; after count or release, or when the request failed). */
    public void forget(UUID claim) {
        lease.end(claim);
    }

    /** Gives a claim up (the chunk's bytes did not all arrive or were wrong). */
    public void release(UUID uploadId, int index, UUID claim) {
        try {
            QuarkusTransaction.requiringNew().run(() -> sessions.releaseClaim(uploadId, index, claim));
        } finally {
            lease.end(claim);
        }
    }
}
