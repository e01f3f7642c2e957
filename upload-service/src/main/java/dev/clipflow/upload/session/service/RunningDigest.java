package dev.clipflow.upload.session.service;

import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.ingest.DigestRelay;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.crypto.SavableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The whole-file SHA-256 of every upload, computed while the upload goes on so that completion
 * hashes only what is left (finalize stays flat whatever the size). The digest runs over the
 * contiguous prefix of received data; its state (Bouncy Castle's {@link SavableDigest}, whose state
 * is encodable, unlike the JDK's; the LTS line computes it natively with the CPU's SHA extensions)
 * is stored in the session row with the prefix length, so any replica continues where another
 * stopped. A state this replica cannot restore (written by the pure-Java digest of an older
 * release, or by a replica on a CPU without the native code) is dropped and the prefix hashed
 * again. After a chunk is received, the receiving replica advances the prefix over every received
 * chunk that now continues it (reading them back from staging); chunks that arrive in order are
 * read back at once, from the page cache.
 *
 * <p>One advancer per session at a time (a transaction-scoped advisory lock); the stored prefix is
 * also guarded optimistically. A request that finds the lock taken leaves the work to its holder,
 * which looks again after releasing it, so no received chunk is left behind.
 */
@ApplicationScoped
public class RunningDigest {

    private static final int BATCH = 4;
    private static final int BUFFER = 256 * 1024;

    private final UploadSessionRepository sessions;
    private final UploadStaging staging;
    private final UploadMetrics metrics;
    private final DigestRelay relay;

    public RunningDigest(UploadSessionRepository sessions, UploadStaging staging, UploadMetrics metrics,
            DigestRelay relay) {
        this.sessions = sessions;
        this.staging = staging;
        this.metrics = metrics;
        this.relay = relay;
    }

    /** After a chunk was received: advances the prefix as far as received chunks allow, unless another request does. */
    public void advance(UUID uploadId) {
        try {
            while (true) {
                Step step = step(uploadId, false);
                if (step == Step.MOVED) {
                    continue; // requests that found the lock taken count on its holder to look again
                }
                if (step == Step.BUSY) {
                    return; // the holder looks again after releasing the lock
                }
                if (step == Step.NOTHING && !canAdvance(uploadId)) {
                    return; // nothing arrived while we held the lock either
                }
            }
        } catch (RuntimeException e) {
            // the session ended meanwhile (parts deleted) or storage hiccuped: completion hashes the rest
            Log.debugf("Running digest of %s not advanced: %s", uploadId, e.getMessage());
        }
    }

    /**
     * Completion: advances over everything left (waiting for a concurrent advancer), stores and
     * returns the SHA-256 (hex) of the whole file.
     *
     * Each step stores how far it got; {@code lease} is renewed between steps.
     *
     * @throws IllegalStateException when received data does not cover the file
     * @throws CompletionLease.TakenOver when the lease was lost to another completion meanwhile
     */
    public String finish(UUID uploadId, CompletionLease lease) {
        UploadSessionRepository.DigestRow row = QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(uploadId));
        if (row.fileSha256() != null) {
            return row.fileSha256(); // an earlier completion attempt got this far
        }
        Step step;
        do {
            step = step(uploadId, true);
            lease.keep(() -> {
            }); // the step stored its digest
        } while (step == Step.ADVANCED || step == Step.MOVED);
        if (row.bytes() < row.size()) {
            Log.debugf("Upload %s: completion hashed the last %d bytes", uploadId, row.size() - row.bytes());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            sessions.lockDigest(uploadId, true);
            UploadSessionRepository.DigestRow now = sessions.digestRow(uploadId);
            if (now.bytes() != now.size()) {
                throw new IllegalStateException("The running digest covers " + now.bytes() + " of " + now.size()
                        + " bytes");
            }
            SavableDigest digest = now.bytes() == 0 ? SHA256Digest.newInstance() : restore(now.state());
            if (digest == null) {
                throw new IllegalStateException("The running digest's stored state cannot be restored");
            }
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            String hex = HexFormat.of().formatHex(out);
            sessions.fileSha256(uploadId, hex);
            return hex;
        });
    }

    /**
     * What a step did: advanced the digest, found nothing to do, found the lock taken, or found the digest moved
     * under its lock by a chunk that carried it over its own bytes as it counted (that chunk was read as received
     * while the digest was read before it counted): nothing stored, look again.
     */
    private enum Step { ADVANCED, NOTHING, BUSY, MOVED }

    /**
     * The running digest continuing a stored prefix of {@code bytes} (a fresh one at 0), to be
     * advanced over the next chunk as it arrives; null when this replica cannot restore the state.
     */
    public static SavableDigest resume(byte[] state, long bytes) {
        return bytes == 0 ? SHA256Digest.newInstance() : restore(state);
    }

    /** The digest continuing a stored state, or null when this replica cannot restore it. */
    private static SavableDigest restore(byte[] state) {
        if (state == null) {
            return null;
        }
        try {
            return SHA256Digest.newInstance(state);
        } catch (RuntimeException e) {
            return null; // another implementation's format (pure Java vs native)
        }
    }

    /** Whether a received chunk continues the stored prefix (a cheap read without the lock). */
    private boolean canAdvance(UUID uploadId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UploadSessionRepository.DigestRow row = sessions.digestRow(uploadId);
            return live(row) && sessions.doneChunksFrom(uploadId, row.bytes(), 1, row.bytes()).stream()
                    .anyMatch(c -> c.offset() == row.bytes());
        });
    }

    private static boolean live(UploadSessionRepository.DigestRow row) {
        return row.sessionState() == UploadSession.State.UPLOADING || row.sessionState() == UploadSession.State.COMPLETING;
    }

    /** What one step did and, when it advanced, where the digest was saved with which state. */
    private record Stepped(Step step, long position, byte[] state) {
        static final Stepped BUSY = new Stepped(Step.BUSY, -1, null);
        static final Stepped NOTHING = new Stepped(Step.NOTHING, -1, null);
        static final Stepped MOVED = new Stepped(Step.MOVED, -1, null);
    }

    /** One transaction: takes the lock, hashes up to {@link #BATCH} chunks continuing the prefix, stores the state. */
    private Step step(UUID uploadId, boolean wait) {
        Stepped stepped = QuarkusTransaction.requiringNew().timeout(600).call(() -> {
            if (!sessions.lockDigest(uploadId, wait)) {
                return Stepped.BUSY;
            }
            UploadSessionRepository.DigestRow row = sessions.digestRow(uploadId);
            if (!live(row)) {
                return Stepped.NOTHING;
            }
            SavableDigest digest = row.bytes() == 0 ? SHA256Digest.newInstance() : restore(row.state());
            long position = row.bytes();
            boolean restarted = digest == null;
            if (restarted) {
                Log.infof("Upload %s: the running digest's state cannot be restored here; hashing its %d bytes again",
                        uploadId, position);
                digest = SHA256Digest.newInstance();
                position = 0;
            }
            if (position >= row.size()) {
                return Stepped.NOTHING;
            }
            byte[] buffer = new byte[BUFFER];
            for (UploadSessionRepository.ChunkRow chunk : sessions.doneChunksFrom(uploadId, position, BATCH, row.bytes())) {
                if (chunk.offset() != position) {
                    break; // a gap: the chunk that fills it advances further when it arrives
                }
                try (InputStream in = staging.openChunk(uploadId, chunk.index(), chunk.offset(), chunk.size())) {
                    long left = chunk.size();
                    int n;
                    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                        digest.update(buffer, 0, n);
                        left -= n;
                    }
                    if (left != 0) {
                        throw new IllegalStateException("Chunk " + chunk.index() + " of " + uploadId + " is short");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                position += chunk.size();
                metrics.readBack(chunk.size());
            }
            if (position == row.bytes() && !restarted) {
                return Stepped.NOTHING;
            }
            byte[] state = digest.getEncodedState();
            if (!sessions.saveDigest(uploadId, row.bytes(), position, state)) {
                return Stepped.MOVED;
            }
            return new Stepped(Step.ADVANCED, position, state);
        });
        if (stepped.step() == Step.ADVANCED) { // committed: a chunk waiting at this offset may go on with it (DigestRelay)
            relay.stored(uploadId, stepped.position(), stepped.state());
        }
        return stepped.step();
    }
}
