package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.probe.BlobChannel;
import dev.clipflow.upload.probe.MediaProbe;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finishes an upload exactly once, whichever replica is asked and however often, even when a
 * replica dies half-way. A conditional UPLOADING -> COMPLETING update elects one caller and gives
 * it a claim with a lease; it finishes the running whole-file SHA-256 (only what is left to hash),
 * checks it against the one the client gave, assembles the original, probes it, and commits
 * COMPLETED with {@code video.uploaded} and {@code usage.bandwidth} in the same transaction
 * (outbox), only while its claim is still the current one. A claim whose lease ran out is taken
 * over by the next complete request or by the sweeper and run to its end: every step is
 * repeatable (stored digest, idempotent assembly, probe), and only the current claim can commit,
 * so the event goes out once. A file that is not a video ends FAILED: blob deleted, reservation
 * released, {@code video.failed}; a SHA-256 mismatch ends FAILED with a 422 and publishes nothing.
 */
@ApplicationScoped
public class CompletionService {


    private final UploadMetrics metrics;
    private final UploadSessionRepository sessions;
    private final SessionService sessionService;
    private final SessionCleanup cleanup;
    private final UploadStaging staging;
    private final RunningDigest runningDigest;
    private final BlobStore store;
    private final MediaProbe probe;
    private final Outbox outbox;
    private final UploadConfig config;
    private final Clock clock;
    private final ConcatFinish concat;

    public CompletionService(UploadSessionRepository sessions, SessionService sessionService, SessionCleanup cleanup,
            UploadStaging staging, RunningDigest runningDigest, BlobStore store, MediaProbe probe, Outbox outbox,
            UploadConfig config, Clock clock, UploadMetrics metrics, ConcatFinish concat) {
        this.concat = concat;
        this.metrics = metrics;
        this.sessions = sessions;
        this.sessionService = sessionService;
        this.cleanup = cleanup;
        this.staging = staging;
        this.runningDigest = runningDigest;
        this.store = store;
        this.probe = probe;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** {@code POST /api/uploads/{id}/complete}. */
    public UploadReplies.Accepted complete(UUID ownerId, UUID uploadId) {
        return complete(sessionService.owned(ownerId, uploadId));
    }

    public UploadReplies.Accepted complete(UploadSession session) {
        switch (session.state) {
            case COMPLETED -> {
                return accepted(session);
            }
            case COMPLETING -> {
                return resume(session);
            }
            case FAILED -> throw failedProblem(session.failureCode, session.failureReason);
            default -> sessionService.requireUploading(session);
        }
        if (!received(session)) {
            List<Integer> received = QuarkusTransaction.requiringNew().call(() -> sessions.receivedIndexes(session.id));
            UploadReplies.Status status = SessionService.status(session, received);
            throw new ProblemException(Problem.of(409, "upload.incomplete", "Conflict",
                    status.missingChunks().size() + " chunk(s) are missing.")
                    .with("missingChunks", status.missingChunks())
                    .with("bytesReceived", session.bytesReceived));
        }
        UUID claim = UUID.randomUUID();
        boolean elected = QuarkusTransaction.requiringNew().call(() -> sessions.claimCompletion(session.id, claim,
                clock.instant()));
        if (!elected) {
            return complete(sessionService.owned(session.ownerId, session.id));
        }
        return finish(session, claim);
    }

    /**
     * A session in COMPLETING: when its completion's lease ran out (the replica died), takes it over
     * and runs it to its end; otherwise the running completion will finish it. 202 either way.
     */
    public UploadReplies.Accepted resume(UploadSession session) {
        UUID claim = UUID.randomUUID();
        Instant now = clock.instant();
        boolean mine = QuarkusTransaction.requiringNew().call(() -> sessions.takeOverCompletion(session.id, claim,
                now.minus(config.completionLease()), now));
        if (!mine) {
            return accepted(session);
        }
        Log.infof("Upload %s: taking over a completion whose lease ran out", session.id);
        return finish(session, claim);
    }

    private static boolean received(UploadSession session) {
        if (session.protocol == UploadSession.Protocol.TUS) {
            return session.bytesReceived == session.sizeBytes;
        }
        return session.chunksReceived == session.totalChunks;
    }

    /**
     * Finishes the completion this request claimed with {@code claim}. When another completion took the claim over
     * meanwhile (this one outlived its lease), whatever this one found (a failure included) is not the upload's
     * outcome: the other one decides it, and this request answers 202 like any request that finds it completing.
     * (Package-private for tests.)
     */
    UploadReplies.Accepted finish(UploadSession session, UUID claim) {
        long started = System.nanoTime();
        try {
            UploadReplies.Accepted accepted = finishTimed(session, claim);
            metrics.completion("completed", System.nanoTime() - started);
            return accepted;
        } catch (CompletionLease.TakenOver e) {
            Log.infof("Upload %s: its completion was taken over by another, which finishes it", session.id);
            return accepted(session);
        } catch (RuntimeException e) {
            metrics.completion("failed", System.nanoTime() - started);
            throw e;
        }
    }

    private UploadReplies.Accepted finishTimed(UploadSession session, UUID claim) {
        String key = BlobKeys.original(session.videoId);
        String fileSha256;
        boolean concatenated = session.tusConcat == UploadSession.Concat.FINAL;
        CompletionLease lease = new CompletionLease(sessions, clock, config.completionLease(), session.id, claim);
        try {
            if (concatenated) {
                // the later parts continue the first part's running digest while the parts are put together
                concat.digestAndAssemble(session, key, lease);
            }
            fileSha256 = runningDigest.finish(session.id, lease);
        } catch (CompletionLease.TakenOver e) {
            throw e; // see finish
        } catch (RuntimeException e) {
            Log.errorf("Upload %s: the received data could not be hashed%s: %s", session.id,
                    concatenated ? " and put together" : "", e.getMessage());
            throw fail(session, claim, "upload.assembly_failed",
                    "The uploaded chunks could not be put together; upload again.", true);
        }
        if (session.sha256 != null && !session.sha256.equals(fileSha256)) {
            throw fail(session, claim, "upload.checksum_mismatch",
                    "The file's SHA-256 does not match the one given when the upload started.", false);
        }
        if (!renew(session, claim)) {
            return accepted(session);
        }
        // a concatenated upload's parts are other sessions' staging; a replacement is always stored (it holds no file
        // name, so no later upload could share it, and switching a video onto another one's media is not done)
        if (config.dedup() && !concatenated && session.replaces == null) {
            Optional<UUID> earlier = QuarkusTransaction.requiringNew().call(() -> sessions.liveVideoWithContent(
                    session.ownerId, fileSha256));
            if (earlier.isPresent()) {
                Optional<UploadReplies.Accepted> duplicate = finishDuplicate(session, claim, fileSha256, earlier.get());
                if (duplicate.isPresent()) {
                    return duplicate.get();
                }
            }
        }
        try {
            if (!concatenated) {
                int parts = QuarkusTransaction.requiringNew().call(() -> sessions.receivedIndexes(session.id).size());
                staging.assemble(session.id, parts, session.chunkSize, session.sizeBytes, key, session.contentType);
            }
        } catch (UploadStaging.AssemblyException e) {
            Log.errorf("Upload %s could not be assembled: %s", session.id, e.getMessage());
            throw fail(session, claim, "upload.assembly_failed",
                    "The uploaded chunks could not be put together; upload again.", true);
        }
        if (!renew(session, claim)) {
            return accepted(session);
        }
        MediaProbe.Result result = probe(key);
        if (!result.video()) {
            throw fail(session, claim, "upload.not_a_video", result.reason(), true);
        }
        Instant now = clock.instant();
        boolean[] ownerDeleted = {false};
        boolean committed = QuarkusTransaction.requiringNew().call(() -> {
            sessions.lockOwner(session.ownerId); // serialises with user.deleted (see AccountEvents)
            if (sessions.isOwnerDeleted(session.ownerId)) {
                ownerDeleted[0] = sessions.endCompletion(session.id, claim, UploadSession.State.ABORTED, now);
                return false;
            }
            if (!sessions.endCompletion(session.id, claim, UploadSession.State.COMPLETED, now)) {
                return false; // taken over meanwhile: the new claim publishes
            }
            outbox.publish(Topics.VIDEO_UPLOADED, session.videoId, new VideoUploaded(session.videoId, session.ownerId,
                    session.id, session.fileName, session.contentType, session.sizeBytes, fileSha256, key,
                    session.title, session.description, session.category, now, null, session.replaces));
            if (session.sizeBytes > 0) {
                outbox.publish(Topics.USAGE_BANDWIDTH, session.ownerId,
                        new UsageBandwidth(session.ownerId, session.sizeBytes, "UPLOADED", session.createdAt, now));
            }
            return true;
        });
        if (ownerDeleted[0]) {
            cleanup.discard(session, true);
            Log.infof("Upload %s aborted: its owner %s was deleted while it completed", session.id, session.ownerId);
            throw new ProblemException(410, "upload.owner_deleted", "Gone", "The account of this upload was deleted.");
        }
        if (!committed) {
            Log.infof("Upload %s: completion was taken over by another claim", session.id);
            return accepted(session);
        }
        cleanup.commit(session);
        Log.infof("Upload %s complete: video %s, %d bytes, sha256 %s", session.id, session.videoId, session.sizeBytes,
                fileSha256);
        return new UploadReplies.Accepted(session.videoId, session.id, "PROCESSING");
    }

    /**
     * Dedup by content: the owner already stored this file (video {@code earlier}, still live). Nothing is assembled
     * or probed: the session is COMPLETED with {@code video.uploaded} naming {@code duplicateOf} (no transcode
     * follows, catalog shares the earlier video's media) and the reservation is committed with 0 bytes. The earlier
     * video is checked again under the owner's lock; if it was deleted meanwhile, empty: the normal path goes on.
     */
    private Optional<UploadReplies.Accepted> finishDuplicate(UploadSession session, UUID claim, String fileSha256,
            UUID earlier) {
        Instant now = clock.instant();
        boolean[] ownerDeleted = {false};
        Boolean committed = QuarkusTransaction.requiringNew().call(() -> {
            sessions.lockOwner(session.ownerId);
            if (sessions.isOwnerDeleted(session.ownerId)) {
                ownerDeleted[0] = sessions.endCompletion(session.id, claim, UploadSession.State.ABORTED, now);
                return Boolean.FALSE;
            }
            if (!sessions.liveVideoWithContent(session.ownerId, fileSha256).equals(Optional.of(earlier))) {
                return null; // deleted meanwhile: store this one
            }
            if (!sessions.endCompletion(session.id, claim, UploadSession.State.COMPLETED, now)) {
                return Boolean.FALSE;
            }
            sessions.markDuplicate(session.id, earlier);
            outbox.publish(Topics.VIDEO_UPLOADED, session.videoId, new VideoUploaded(session.videoId, session.ownerId,
                    session.id, session.fileName, session.contentType, session.sizeBytes, fileSha256,
                    BlobKeys.original(earlier), session.title, session.description, session.category, now, earlier));
            if (session.sizeBytes > 0) {
                outbox.publish(Topics.USAGE_BANDWIDTH, session.ownerId,
                        new UsageBandwidth(session.ownerId, session.sizeBytes, "UPLOADED", session.createdAt, now));
            }
            return Boolean.TRUE;
        });
        if (committed == null) {
            return Optional.empty();
        }
        if (ownerDeleted[0]) {
            cleanup.discard(session, false);
            throw new ProblemException(410, "upload.owner_deleted", "Gone", "The account of this upload was deleted.");
        }
        if (!committed) {
            return Optional.of(accepted(session));
        }
        session.duplicateOf = earlier;
        cleanup.commit(session);
        try {
            staging.discard(session.id);
        } catch (RuntimeException e) {
            Log.warnf("Could not delete the parts of duplicate upload %s: %s", session.id, e.getMessage());
        }
        Log.infof("Upload %s complete: video %s repeats video %s (sha256 %s): nothing stored, no transcode",
                session.id, session.videoId, earlier, fileSha256);
        return Optional.of(new UploadReplies.Accepted(session.videoId, session.id, "PROCESSING"));
    }

    private boolean renew(UploadSession session, UUID claim) {
        return QuarkusTransaction.requiringNew().call(() -> sessions.renewCompletion(session.id, claim, clock.instant()));
    }

    /**
     * Ends the current completion claim as FAILED and undoes what it holds; returns the 422 to throw.
     *
     * @throws CompletionLease.TakenOver when the claim is no longer this completion's: the failure is not the
     *         upload's (the completion that took it over may well succeed)
     */
    private ProblemException fail(UploadSession session, UUID claim, String code, String reason, boolean announce) {
        boolean mine = QuarkusTransaction.requiringNew().call(() -> {
            if (!sessions.endCompletion(session.id, claim, UploadSession.State.FAILED, clock.instant())) {
                return false;
            }
            sessions.fail(session.id, code, reason, clock.instant());
            if (announce) {
                outbox.publish(Topics.VIDEO_FAILED, session.videoId,
                        new VideoFailed(null, session.videoId, session.ownerId, "UPLOAD", reason));
            }
            return true;
        });
        if (!mine) {
            Log.infof("Upload %s: this completion found \"%s\" after another had taken it over; that one decides",
                    session.id, reason);
            throw new CompletionLease.TakenOver(session.id);
        }
        cleanup.discard(session, true);
        Log.infof("Upload %s failed: %s", session.id, reason);
        return failedProblem(code, reason);
    }

    private static ProblemException failedProblem(String code, String reason) {
        return new ProblemException(422, code == null ? "upload.failed" : code, "Unprocessable Content",
                reason == null ? "The upload failed." : reason);
    }

    private UploadReplies.Accepted accepted(UploadSession session) {
        return new UploadReplies.Accepted(session.videoId, session.id, "PROCESSING");
    }

    private MediaProbe.Result probe(String key) {
        List<Path> local = store.localParts(key); // a file, or a tus concatenation's parts
        if (!local.isEmpty()) {
            return probe.probe(local);
        }
        // a remote store (GCS): ffprobe reads the parts it needs through ranged reads, nothing lands on disk
        long size = store.stat(key).orElseThrow(() -> new BlobNotFoundException(key)).size();
        try (BlobChannel channel = new BlobChannel(store, key, size)) {
            MediaProbe.Result result = probe.probe(channel, key);
            Log.debugf("Probed %s in place: %d of %d bytes read", key, channel.bytesRead(), size);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
