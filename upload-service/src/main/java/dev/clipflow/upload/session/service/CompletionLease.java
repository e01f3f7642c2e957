package dev.clipflow.upload.session.service;

import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A completion's claim while its long work runs (hashing what was read back: a tus concatenation's
 * later parts, or a file whose running digest fell behind): every time a third of the lease has passed
 * since the last renewal it stores how far the work got and renews the lease. Without that, work longer
 * than the lease ({@code clipflow.upload.completion-lease}) was taken over by the next request or the
 * sweeper, which started it again from the last stored point while the first went on, again and again.
 * One per completion attempt, used by one thread at a time.
 */
public final class CompletionLease {

    private final UploadSessionRepository sessions;
    private final Clock clock;
    private final Duration every;
    private final UUID sessionId;
    private final UUID claim;
    private Instant renewed;

    public CompletionLease(UploadSessionRepository sessions, Clock clock, Duration lease, UUID sessionId, UUID claim) {
        this.sessions = sessions;
        this.clock = clock;
        this.every = lease.dividedBy(3);
        this.sessionId = sessionId;
        this.claim = claim;
        this.renewed = clock.instant();
    }

    /**
     * Called between steps of the work: when a renewal is due, runs {@code checkpoint} (stores how far the work
     * got, so a completion taking over goes on from there) and renews the lease.
     *
     * @throws TakenOver when another completion took this one over: stop, it finishes the upload
     */
    public void keep(Runnable checkpoint) {
        Instant now = clock.instant();
        if (now.isBefore(renewed.plus(every))) {
            return;
        }
        checkpoint.run();
        if (!renew(now)) {
            throw new TakenOver(sessionId);
        }
        renewed = now;
    }

    /** Renews now; false when another completion took this one over. */
    boolean renew(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> sessions.renewCompletion(sessionId, claim, now));
    }

    /** This completion's lease ran out and another took it over: it stops and leaves the upload to that one. */
    public static final class TakenOver extends RuntimeException {
        public TakenOver(UUID sessionId) {
            super("The completion of " + sessionId + " was taken over by another", null, false, false);
        }
    }
}
