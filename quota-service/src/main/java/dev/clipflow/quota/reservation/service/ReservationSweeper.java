package dev.clipflow.quota.reservation.service;

import dev.clipflow.quota.account.HeldReservation;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;

/**
 * The safety nets on a timer: releases reservations past their {@code expiresAt} (a crashed or
 * abandoned upload never leaks quota), re-evaluates alerts of documents whose inline evaluation
 * may not have happened, and forgets processed event ids past their retention (a real MongoDB's TTL
 * index does that too; mongo-java-server ignores TTL indexes).
 */
@Singleton
public class ReservationSweeper {

    private static final int BATCH = 500;

    private final QuotaRepository repository;
    private final ReservationService reservations;
    private final AlertEvaluator alerts;

    public ReservationSweeper(QuotaRepository repository, ReservationService reservations, AlertEvaluator alerts) {
        this.repository = repository;
        this.reservations = reservations;
        this.alerts = alerts;
    }

    @Scheduled(every = "${clipflow.quota.sweep-interval:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            int released = sweepExpired();
            if (released > 0) {
                Log.infof("Released %d expired reservation(s)", released);
            }
            reconcileAlerts();
            long forgotten = repository.purgeProcessedEvents();
            if (forgotten > 0) {
                Log.debugf("Forgot %d processed event id(s) past their retention", forgotten);
            }
        } catch (RuntimeException e) {
            Log.warnf("Quota sweep failed: %s", e.getMessage());
        }
    }

    /** Releases every reservation whose expiry has passed; returns how many. */
    public int sweepExpired() {
        int released = 0;
        QuotaRepository.ExpiredBatch batch;
        do {
            batch = repository.expiredReservations(repository.now(), BATCH);
            for (HeldReservation reservation : batch.reservations()) {
                if (reservations.release(reservation)) {
                    Log.debugf("Reservation %s of %s expired", reservation.id(), reservation.userId());
                    released++;
                }
            }
        } while (batch.more());
        return released;
    }

    /** Re-evaluates the alerts of documents changed since their last reconciliation. */
    public void reconcileAlerts() {
        repository.dirty(BATCH * 4).forEach(state -> alerts.reconcile(state, true));
    }
}
