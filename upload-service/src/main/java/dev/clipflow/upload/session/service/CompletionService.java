package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.probe.MediaProbe;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finishes an upload exactly once, whichever replica is asked and however often: a conditional
 * UPLOADING -> COMPLETING update elects one caller, which assembles the original, verifies the
 * whole-file SHA-256 when the client gave one, probes it, and commits COMPLETED with
 * {@code video.uploaded} and {@code usage.bandwidth} in the same transaction (outbox). A file
 * that is not a video ends FAILED: blob deleted, reservation released, {@code video.failed}.
 */
@ApplicationScoped
public class CompletionService {

    public static final String SOURCE = "/clipflow/upload-service";

    private final UploadSessionRepository sessions;
    private final SessionService sessionService;
    private final SessionCleanup cleanup;
    private final UploadStaging staging;
    private final BlobStore store;
    private final MediaProbe probe;
    private final Outbox outbox;
    private final Clock clock;

    public CompletionService(UploadSessionRepository sessions, SessionService sessionService, SessionCleanup cleanup,
            UploadStaging staging, BlobStore store, MediaProbe probe, Outbox outbox, Clock clock) {
        this.sessions = sessions;
        this.sessionService = sessionService;
        this.cleanup = cleanup;
        this.staging = staging;
        this.store = store;
        this.probe = probe;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** {@code POST /api/uploads/{id}/complete}. */
    public UploadReplies.Accepted complete(UUID ownerId, UUID uploadId) {
        return complete(sessionService.owned(ownerId, uploadId));
    }

    public UploadReplies.Accepted complete(UploadSession session) {
        switch (session.state) {
            case COMPLETED, COMPLETING -> {
                return accepted(session);
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
        boolean elected = QuarkusTransaction.requiringNew().call(() -> sessions.transition(session.id,
                List.of(UploadSession.State.UPLOADING), UploadSession.State.COMPLETING, clock.instant()));
        if (!elected) {
            return complete(sessionService.owned(session.ownerId, session.id));
        }
        return finish(session);
    }

    private static boolean received(UploadSession session) {
        if (session.protocol == UploadSession.Protocol.TUS) {
            return session.bytesReceived == session.sizeBytes;
        }
        return session.chunksReceived == session.totalChunks;
    }

    private UploadReplies.Accepted finish(UploadSession session) {
        String key = BlobKeys.original(session.videoId);
        int parts = QuarkusTransaction.requiringNew().call(() -> sessions.receivedIndexes(session.id).size());
        try {
            staging.assemble(session.id, parts, session.chunkSize, session.sizeBytes, key, session.contentType);
        } catch (UploadStaging.AssemblyException e) {
            Log.errorf("Upload %s could not be assembled: %s", session.id, e.getMessage());
            throw fail(session, "upload.assembly_failed", "The uploaded chunks could not be put together; upload again.");
        }
        if (session.sha256 != null && !session.sha256.equals(sha256(key, session.sizeBytes))) {
            throw fail(session, "upload.checksum_mismatch",
                    "The file's SHA-256 does not match the one given when the upload started.");
        }
        MediaProbe.Result result = probe(key);
        if (!result.video()) {
            throw fail(session, "upload.not_a_video", result.reason());
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            if (!sessions.transition(session.id, List.of(UploadSession.State.COMPLETING), UploadSession.State.COMPLETED,
                    now)) {
                throw new IllegalStateException("Upload " + session.id + " left COMPLETING while completing");
            }
            outbox.publish(Topics.VIDEO_UPLOADED, CloudEvent.of(Topics.VIDEO_UPLOADED, SOURCE,
                    session.videoId.toString(), new VideoUploaded(session.videoId, session.ownerId, session.id,
                            session.fileName, session.contentType, session.sizeBytes, session.sha256, key,
                            session.title, session.description, session.category, now)));
            if (session.sizeBytes > 0) {
                outbox.publish(Topics.USAGE_BANDWIDTH, CloudEvent.of(Topics.USAGE_BANDWIDTH, SOURCE,
                        session.ownerId.toString(), new UsageBandwidth(session.ownerId, session.sizeBytes, "UPLOADED",
                                session.createdAt, now)));
            }
        });
        cleanup.commit(session);
        Log.infof("Upload %s complete: video %s, %d bytes", session.id, session.videoId, session.sizeBytes);
        return new UploadReplies.Accepted(session.videoId, session.id, "PROCESSING");
    }

    /** Ends a completing session as FAILED, undoes what it holds, publishes video.failed; returns the 422 to throw. */
    public ProblemException fail(UploadSession session, String code, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (sessions.transition(session.id, List.of(UploadSession.State.COMPLETING, UploadSession.State.UPLOADING),
                    UploadSession.State.FAILED, clock.instant())) {
                sessions.fail(session.id, code, reason, clock.instant());
                outbox.publish(Topics.VIDEO_FAILED, CloudEvent.of(Topics.VIDEO_FAILED, SOURCE,
                        session.videoId.toString(), new VideoFailed(null, session.videoId, session.ownerId, "UPLOAD",
                                reason)));
            }
        });
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
        Optional<Path> local = store.localFile(key);
        if (local.isPresent()) {
            return probe.probe(local.get());
        }
        Path temp = null;
        try {
            temp = Files.createTempFile("probe-", ".bin");
            store.download(key, temp);
            return probe.probe(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // temp dir cleanup
                }
            }
        }
    }

    private String sha256(String key, long size) {
        try (InputStream in = new DigestInputStream(store.open(key, 0, size), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
