package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.quota.client.QuotaClient;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Direct uploads in flight, admitted before their body is read (see
 * {@code dev.clipflow.upload.session.rest.DirectUploadGate}): one row per request, counted with the caller's
 * unfinished sessions against {@code max-concurrent-sessions}, and a quota reservation of the declared size
 * (id = the admission id) held until the request's own session reserves the file's real size. A request's
 * end removes both; a replica that died leaves its rows, which stop counting after {@link #STALE}.
 */
@ApplicationScoped
public class DirectAdmissions {

    /** An admission older than this belongs to a request whose replica died. */
    public static final Duration STALE = Duration.ofHours(2);

    /** Room for the multipart framing and form fields around the file in the declared length. */
    private static final long MULTIPART_ALLOWANCE = 1L << 20;

    private final UploadSessionRepository sessions;
    private final QuotaClient quota;
    private final UploadConfig config;
    private final Clock clock;

    public DirectAdmissions(UploadSessionRepository sessions, QuotaClient quota, UploadConfig config, Clock clock) {
        this.sessions = sessions;
        this.quota = quota;
        this.config = config;
        this.clock = clock;
    }

    /** Admits a direct upload of {@code declaredBytes} (the request's Content-Length); throws the problem to answer. */
    public UUID admit(UUID ownerId, long declaredBytes) {
        if (declaredBytes > config.maxFileSize() + MULTIPART_ALLOWANCE) {
            throw new ProblemException(413, "upload.file_too_large", "Payload Too Large",
                    "The request is " + declaredBytes + " bytes; files of at most " + config.maxFileSize()
                            + " bytes are accepted.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.lockOwner(ownerId);
            if (sessions.isOwnerDeleted(ownerId)) {
                throw new ProblemException(410, "upload.owner_deleted", "Gone", "This account was deleted.");
            }
            if (sessions.openSessions(ownerId, now.minus(STALE)) >= config.maxConcurrentSessions()) {
                throw new ProblemException(429, "upload.too_many_sessions", "Too Many Requests",
                        "You have " + config.maxConcurrentSessions() + " unfinished uploads; finish or cancel one first.");
            }
            sessions.admitDirect(id, ownerId, now);
        });
        try {
            quota.reserve(id, ownerId, declaredBytes, id, "direct upload", now.plus(STALE));
        } catch (ProblemException e) {
            QuarkusTransaction.requiringNew().run(() -> sessions.endDirect(id));
            throw e;
        } catch (RuntimeException e) {
            finish(id);
            throw new ProblemException(503, "quota.unavailable", "Service Unavailable",
                    "Storage quota cannot be checked right now; try again shortly.");
        }
        return id;
    }

    /** The body arrived: the session about to open reserves the file's real size, so the estimate goes. */
    public void bodyReceived(UUID admission) {
        quota.release(admission);
    }

    /** The request ended (whatever its outcome): the admission and its reservation go. */
    public void finish(UUID admission) {
        try {
            quota.release(admission);
        } catch (RuntimeException e) {
            Log.warnf("Could not release the reservation of direct upload %s (it expires): %s", admission,
                    e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> sessions.endDirect(admission));
    }
}
