package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.quota.client.QuotaClient;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Opening, reading, listing and aborting upload sessions. */
@ApplicationScoped
public class SessionService {

    private final UploadSessionRepository sessions;
    private final QuotaClient quota;
    private final SessionCleanup cleanup;
    private final UploadConfig config;
    private final Clock clock;

    public SessionService(UploadSessionRepository sessions, QuotaClient quota, SessionCleanup cleanup,
            UploadConfig config, Clock clock) {
        this.sessions = sessions;
        this.quota = quota;
        this.cleanup = cleanup;
        this.config = config;
        this.clock = clock;
    }

    /** An opened session and the storage figures of its reservation. */
    public record Opened(UploadSession session, QuotaClient.Storage storage) {

        public UploadReplies.Created reply() {
            return new UploadReplies.Created(session.id, session.videoId, session.chunkSize, session.totalChunks,
                    session.expiresAt, storage == null ? null : storage.percentUsed(),
                    storage == null ? null : storage.alert());
        }
    }

    /**
     * Checks the limits, takes the file name, stores the session and reserves its storage in
     * quota-service; nothing remains when any step refuses.
     */
    public Opened open(NewUpload request) {
        String fileName = validFileName(request.fileName());
        String contentType = validContentType(request.contentType());
        if (request.size() > config.maxFileSize()) {
            throw new ProblemException(413, "upload.file_too_large", "Payload Too Large",
                    "The file is " + request.size() + " bytes; at most " + config.maxFileSize() + " are accepted.")
                    ;
        }
        long chunkSize = chunkSize(request);
        long chunks = request.protocol() == UploadSession.Protocol.TUS ? 0
                : Math.max(1, (request.size() + chunkSize - 1) / chunkSize);
        if (chunks > 100_000) {
            throw ProblemException.badRequest("upload.invalid_chunk_size",
                    "chunkSize " + chunkSize + " makes more than 100000 chunks; choose a larger one.");
        }
        Instant now = clock.instant();
        UploadSession session = new UploadSession();
        session.id = UUID.randomUUID();
        session.videoId = UUID.randomUUID();
        session.ownerId = request.ownerId();
        session.protocol = request.protocol();
        session.fileName = fileName;
        session.contentType = contentType;
        session.sizeBytes = request.size();
        session.chunkSize = chunkSize;
        session.totalChunks = (int) chunks;
        session.sha256 = request.sha256() == null ? null : request.sha256().toLowerCase(Locale.ROOT);
        session.title = request.title();
        session.description = request.description();
        session.category = request.category();
        session.tusMetadata = request.tusMetadata();
        session.replaces = request.replaces();
        session.state = UploadSession.State.UPLOADING;
        session.quotaState = UploadSession.QuotaState.RESERVED; // may be: release is idempotent
        session.createdAt = now;
        session.updatedAt = now;
        session.expiresAt = now.plus(config.sessionTtl());

        QuarkusTransaction.requiringNew().run(() -> {
            sessions.lockOwner(session.ownerId);
            if (sessions.isOwnerDeleted(session.ownerId)) {
                throw new ProblemException(410, "upload.owner_deleted", "Gone", "This account was deleted.");
            }
            if (request.protocol() != UploadSession.Protocol.DIRECT
                    && sessions.openSessions(session.ownerId, now.minus(DirectAdmissions.STALE))
                    >= config.maxConcurrentSessions()) {
                throw new ProblemException(429, "upload.too_many_sessions", "Too Many Requests",
                        "You have " + config.maxConcurrentSessions() + " unfinished uploads; finish or cancel one first.")
                        ;
            }
            // a replacement keeps the replaced video's name: it takes none of its own
            if (session.replaces == null && !sessions.takeFileName(session.ownerId, fileName, session.videoId)) {
                throw ProblemException.conflict("upload.duplicate_file_name",
                        "You already have a video named '" + fileName + "'.");
            }
            sessions.persist(session);
        });

        try {
            QuotaClient.Reservation reservation = quota.reserve(session.id, session.ownerId, session.sizeBytes,
                    session.videoId, fileName, session.expiresAt.plus(Duration.ofHours(1)));
            return new Opened(session, reservation == null ? null : reservation.storage());
        } catch (ProblemException e) {
            undoOpen(session, UploadSession.QuotaState.NONE);
            throw e;
        } catch (RuntimeException e) {
            Log.warnf("quota-service unavailable while opening upload %s: %s", session.id, e.toString());
            undoOpen(session, UploadSession.QuotaState.RESERVED);
            throw new ProblemException(503, "quota.unavailable", "Service Unavailable",
                    "Storage quota cannot be checked right now; try again shortly.");
        }
    }

    /**
     * Removes a session whose reservation was not granted, so nothing of the attempt remains; when
     * quota-service could not be reached and the release fails too, the row stays (ABORTED,
     * RESERVED) for the sweeper to release later.
     */
    private void undoOpen(UploadSession session, UploadSession.QuotaState quotaState) {
        boolean released = quotaState == UploadSession.QuotaState.NONE;
        if (!released) {
            try {
                quota.release(session.id);
                released = true;
            } catch (RuntimeException e) {
                Log.warnf("Could not release reservation %s (sweeper retries): %s", session.id, e.getMessage());
            }
        }
        boolean delete = released;
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.freeFileNameOf(session.videoId);
            if (delete) {
                sessions.deleteById(session.id);
            } else {
                sessions.transition(session.id, List.of(UploadSession.State.UPLOADING), UploadSession.State.ABORTED,
                        clock.instant());
                sessions.fail(session.id, "quota.unavailable", "The storage reservation could not be made.",
                        clock.instant());
            }
        });
    }

    /** The caller's session, or 404 (another user's session does not exist for them). */
    public UploadSession owned(UUID ownerId, UUID uploadId) {
        UploadSession session = QuarkusTransaction.requiringNew().call(() -> sessions.findByIdOptional(uploadId)
                .map(s -> {
                    sessions.getEntityManager().detach(s);
                    return s;
                }).orElse(null));
        if (session == null || !session.ownerId.equals(ownerId)) {
            throw ProblemException.notFound("Upload " + uploadId);
        }
        return session;
    }

    /** Answers 409/410 unless the session still takes data. */
    public void requireUploading(UploadSession session) {
        switch (session.state) {
            case UPLOADING -> {
                if (clock.instant().isAfter(session.expiresAt)) {
                    throw new ProblemException(410, "upload.expired", "Gone",
                            "This upload expired at " + session.expiresAt + "; start a new one.");
                }
            }
            case EXPIRED -> throw new ProblemException(410, "upload.expired", "Gone",
                    "This upload expired at " + session.expiresAt + "; start a new one.");
            case ABORTED -> throw new ProblemException(410, "upload.aborted", "Gone", "This upload was cancelled.");
            default -> throw ProblemException.conflict("upload.not_uploading",
                    "This upload is " + session.state + " and takes no more data.");
        }
    }

    public UploadReplies.Status status(UUID ownerId, UUID uploadId) {
        UploadSession session = owned(ownerId, uploadId);
        List<Integer> received = QuarkusTransaction.requiringNew().call(() -> sessions.receivedIndexes(uploadId));
        return status(session, received);
    }

    static UploadReplies.Status status(UploadSession session, List<Integer> received) {
        List<Integer> missing = new ArrayList<>();
        if (session.protocol != UploadSession.Protocol.TUS) {
            Set<Integer> have = new HashSet<>(received);
            for (int i = 0; i < session.totalChunks; i++) {
                if (!have.contains(i)) {
                    missing.add(i);
                }
            }
        }
        return new UploadReplies.Status(session.id, session.videoId, session.protocol.name(), session.state.name(),
                session.fileName, session.sizeBytes, session.chunkSize, session.chunksReceived, missing,
                session.bytesReceived, session.totalChunks, session.createdAt, session.expiresAt, session.failureCode,
                session.failureReason);
    }

    public Page<UploadReplies.Status> list(UUID ownerId, Page.PageRequest page) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = sessions.find("ownerId", Sort.descending("createdAt"), ownerId);
            long total = query.count();
            List<UploadReplies.Status> items = query.page(page.page(), page.size()).list().stream()
                    .map(s -> status(s, sessions.receivedIndexes(s.id))).toList();
            return new Page<>(items, page.page(), page.size(), total);
        });
    }

    /** Cancels an unfinished upload: chunks deleted, reservation released, file name freed. */
    public void abort(UUID ownerId, UUID uploadId) {
        UploadSession session = owned(ownerId, uploadId);
        abort(session);
    }

    public void abort(UploadSession session) {
        boolean aborted = QuarkusTransaction.requiringNew().call(() -> sessions.transition(session.id,
                List.of(UploadSession.State.UPLOADING), UploadSession.State.ABORTED, clock.instant()));
        if (!aborted) {
            UploadSession now = owned(session.ownerId, session.id);
            switch (now.state) {
                case COMPLETED -> throw ProblemException.conflict("upload.already_completed",
                        "This upload is complete; delete the video instead.");
                case COMPLETING -> throw ProblemException.conflict("upload.completing",
                        "This upload is being completed.");
                default -> {
                    return; // already ended: cancelling again changes nothing
                }
            }
        }
        cleanup.discard(session, false);
    }

    private long chunkSize(NewUpload request) {
        if (request.protocol() == UploadSession.Protocol.DIRECT) {
            return Math.max(1, request.size());
        }
        if (request.protocol() == UploadSession.Protocol.TUS) {
            return config.maxChunkSize();
        }
        long chunkSize = request.chunkSize() == null ? Math.min(config.defaultChunkSize(), request.size())
                : request.chunkSize();
        if (request.chunkSize() != null && (chunkSize < config.minChunkSize() || chunkSize > config.maxChunkSize())
                && chunkSize < request.size()) {
            throw ProblemException.badRequest("upload.invalid_chunk_size", "chunkSize must be between "
                    + config.minChunkSize() + " and " + config.maxChunkSize() + " bytes.");
        }
        if (chunkSize > config.maxChunkSize()) {
            throw ProblemException.badRequest("upload.invalid_chunk_size", "chunkSize must be between "
                    + config.minChunkSize() + " and " + config.maxChunkSize() + " bytes.");
        }
        return Math.max(1, chunkSize);
    }

    private static String validFileName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw ProblemException.badRequest("upload.invalid_file_name", "fileName is required.");
        }
        String name = fileName.strip();
        if (name.length() > 255 || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ProblemException.badRequest("upload.invalid_file_name",
                    "fileName must be a plain file name (no path, no control characters, at most 255 characters).");
        }
        return name;
    }

    private String validContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (String accepted : config.contentTypes()) {
            String a = accepted.trim().toLowerCase(Locale.ROOT);
            if (a.endsWith("/*") ? type.startsWith(a.substring(0, a.length() - 1)) : type.equals(a)) {
                return type;
            }
        }
        throw new ProblemException(415, "upload.unsupported_content_type", "Unsupported Media Type",
                "Content type '" + type + "' is not accepted; accepted: " + String.join(", ", config.contentTypes()) + ".");
    }
}
