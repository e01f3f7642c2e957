package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Expires abandoned sessions (parts deleted, reservations released, names freed), takes over and
 * finishes completions whose replica died (lease ran out), and retries quota calls that could not
 * be made at the time.
 * Safe on every replica at once: each session is claimed by a conditional state update.
 */
@ApplicationScoped
public class SessionSweeper {

    private static final int BATCH = 100;

    private final UploadSessionRepository sessions;
    private final SessionCleanup cleanup;
    private final CompletionService completion;
    private final UploadConfig config;
    private final Clock clock;

    public SessionSweeper(UploadSessionRepository sessions, SessionCleanup cleanup, CompletionService completion,
            UploadConfig config, Clock clock) {
        this.sessions = sessions;
        this.cleanup = cleanup;
        this.completion = completion;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${clipflow.upload.sweep-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            Log.warnf("Upload sweep failed: %s", e.getMessage());
        }
    }

    /** One pass; returns how many sessions expired. */
    public int sweep() {
        Instant now = clock.instant();
        int expired = 0;
        List<UploadSession> due = QuarkusTransaction.requiringNew().call(() -> sessions.expired(now, BATCH));
        for (UploadSession session : due) {
            boolean mine = QuarkusTransaction.requiringNew().call(() -> sessions.transition(session.id,
                    List.of(UploadSession.State.UPLOADING), UploadSession.State.EXPIRED, clock.instant()));
            if (mine) {
                cleanup.discard(session, false);
                expired++;
                Log.infof("Upload %s expired", session.id);
            }
        }
        List<UploadSession> stale = QuarkusTransaction.requiringNew().call(() -> sessions.staleCompletions(
                now.minus(config.completionLease()), BATCH));
        for (UploadSession session : stale) {
            try {
                completion.resume(session);
            } catch (ProblemException e) {
                Log.infof("Upload %s: resumed completion ended with %s", session.id, e.getMessage());
            }
        }
        List<UploadSession> pending = QuarkusTransaction.requiringNew().call(() -> sessions.pendingQuota(BATCH));
        for (UploadSession session : pending) {
            if (session.state == UploadSession.State.COMPLETED) {
                cleanup.commit(session);
            } else {
                cleanup.release(session);
            }
        }
        return expired;
    }
}
