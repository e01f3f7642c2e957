package dev.clipflow.upload.session.service;

import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.crypto.SavableDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Completion of a tus final upload (Upload-Concat): the original is the partial uploads' staged data
 * in order ({@link UploadStaging#concatenate}: no byte passes through this process), and the
 * whole-file SHA-256 continues the first part's running digest (kept while it arrived) over the
 * later parts. SHA-256 is sequential: a part's bytes can enter it only after every byte before
 * them, and a partial upload does not know its place until the final upload names it, so the later
 * parts are hashed here, read back from staging (the page cache, usually). With tus-js-client's
 * {@code parallelUploads: n} (n contiguous parts of equal size) that is (n-1)/n of the file, at the
 * native SHA-256 rate (~1.5 GB/s a core); the worst case, a first part whose stored digest state
 * this replica cannot restore, is the whole file. That hashing runs on a second thread while the parts are
 * put together ({@link #digestAndAssemble}: on GCS compose calls; on the local store the parts' files become
 * the object as they are, no byte copied), so completing takes the longer of the two, not their sum.
 */
@ApplicationScoped
public class ConcatFinish {

    private static final int BUFFER = 256 * 1024;

    private final UploadSessionRepository sessions;
    private final UploadStaging staging;
    private final UploadMetrics metrics;

    public ConcatFinish(UploadSessionRepository sessions, UploadStaging staging, UploadMetrics metrics) {
        this.sessions = sessions;
        this.staging = staging;
        this.metrics = metrics;
    }

    /**
     * Stores the final upload's running digest over all its bytes (unless an earlier attempt did), going on from
     * where an earlier attempt stored it ({@code lease}'s checkpoints, each time it renews the completion's lease).
     *
     * @throws CompletionLease.TakenOver when the lease was lost to another completion meanwhile
     */
    void digest(UploadSession fin, CompletionLease lease) {
        UploadSessionRepository.DigestRow row = QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(fin.id));
        if (row.fileSha256() != null || row.bytes() == row.size()) {
            return;
        }
        List<UUID> parts = fin.parts();
        // an earlier attempt's checkpoint, else the first part's running digest (kept while it arrived)
        SavableDigest digest = row.bytes() > 0 ? RunningDigest.resume(row.state(), row.bytes()) : null;
        long skip = digest == null ? 0 : row.bytes();
        if (digest == null) {
            UploadSessionRepository.DigestRow first = QuarkusTransaction.requiringNew().call(() -> sessions.digestRow(
                    parts.get(0)));
            digest = first.bytes() == first.size() ? RunningDigest.resume(first.state(), first.bytes()) : null;
            skip = digest == null ? 0 : first.bytes();
        }
        if (digest == null) {
            digest = SHA256Digest.newInstance();
        }
        long[] saved = {row.bytes()};
        long position = 0;
        long hashed = 0;
        byte[] buffer = new byte[BUFFER];
        for (UUID part : parts) {
            List<UploadSessionRepository.ChunkRow> chunks = QuarkusTransaction.requiringNew().call(
                    () -> sessions.doneChunksFrom(part, 0, Integer.MAX_VALUE));
            for (UploadSessionRepository.ChunkRow chunk : chunks) {
                if (position + chunk.size() <= skip) {
                    position += chunk.size(); // hashed while it arrived, or by an earlier attempt
                    continue;
                }
                if (position < skip) {
                    throw new IllegalStateException("The stored digest of " + fin.id + " ends inside a chunk");
                }
                hashed += chunk.size();
                try (InputStream in = staging.openChunk(part, chunk.index(), chunk.offset(), chunk.size())) {
                    long left = chunk.size();
                    int n;
                    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                        digest.update(buffer, 0, n);
                        left -= n;
                    }
                    if (left != 0) {
                        throw new IllegalStateException("Part " + part + " is short");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                position += chunk.size();
                metrics.readBack(chunk.size());
                SavableDigest now = digest;
                long at = position;
                lease.keep(() -> checkpoint(fin.id, saved, at, now.getEncodedState()));
            }
        }
        if (position != fin.sizeBytes) {
            throw new IllegalStateException("The parts hold " + position + " of " + fin.sizeBytes + " bytes");
        }
        checkpoint(fin.id, saved, position, digest.getEncodedState());
        if (saved[0] != position) { // another attempt stored the digest meanwhile: it took the completion over
            throw new CompletionLease.TakenOver(fin.id);
        }
        Log.debugf("Upload %s: completion hashed %d of %d bytes of its %d parts", fin.id, hashed, position, parts.size());
    }

    /** Stores the digest over the first {@code at} bytes, over what this attempt stored last ({@code saved}). */
    private void checkpoint(UUID id, long[] saved, long at, byte[] state) {
        if (QuarkusTransaction.requiringNew().call(() -> sessions.saveDigest(id, saved[0], at, state))) {
            saved[0] = at;
        }
    }

    /**
     * Stores the final upload's running digest ({@link #digest}) and makes the original {@code key} of its parts at
     * the same time: the digest on a worker thread, done before the parts' staged data is dropped (it may still
     * be reading them). Throws what failed first (the parts stay then; {@link CompletionLease.TakenOver} when
     * the lease was lost); returns only when both have ended.
     */
    public void digestAndAssemble(UploadSession fin, String key, CompletionLease lease) {
        CompletableFuture<Void> digest = CompletableFuture.runAsync(() -> digest(fin, lease),
                Infrastructure.getDefaultWorkerPool());
        RuntimeException failure = null;
        try {
            assemble(fin, key, () -> join(digest));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            join(digest);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else if (failure != e) {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void join(CompletableFuture<Void> task) {
        try {
            task.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Makes the original {@code key} of the final upload's parts, running {@code beforeDroppingParts} first. */
    private void assemble(UploadSession fin, String key, Runnable beforeDroppingParts) {
        List<UploadStaging.Part> parts = new ArrayList<>();
        for (UUID id : fin.parts()) {
            UploadSession part = QuarkusTransaction.requiringNew().call(() -> sessions.findById(id));
            parts.add(new UploadStaging.Part(id, part.chunksReceived, part.sizeBytes));
        }
        staging.concatenate(parts, fin.sizeBytes, key, fin.contentType, beforeDroppingParts);
    }
}
