package dev.clipflow.quota.reservation.service;

import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.usage.QuotaRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static dev.clipflow.quota.usage.QuotaRepository.ALERTS_DIRTY;
import static dev.clipflow.quota.usage.QuotaRepository.RESERVATIONS;

/**
 * The safety nets on a timer: releases reservations past their {@code expiresAt} (a crashed or
 * abandoned upload never leaks quota) and re-evaluates alerts of documents whose inline evaluation
 * may not have happened.
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
        } catch (RuntimeException e) {
            Log.warnf("Quota sweep failed: %s", e.getMessage());
        }
    }

    /** Releases every reservation whose expiry has passed; returns how many. */
    public int sweepExpired() {
        Date now = Date.from(repository.now());
        int released = 0;
        List<Document> docs;
        do {
            docs = repository.quotas()
                    .find(new Document(RESERVATIONS + ".expiresAt", new Document("$lt", now)))
                    .projection(new Document(RESERVATIONS, 1))
                    .limit(BATCH)
                    .into(new ArrayList<>());
            for (Document doc : docs) {
                for (Document reservation : doc.getList(RESERVATIONS, Document.class)) {
                    if (reservation.getDate("expiresAt").before(now)
                            && reservations.release(doc.getString("_id"), reservation)) {
                        Log.debugf("Reservation %s of %s expired", reservation.getString("id"), doc.get("_id"));
                        released++;
                    }
                }
            }
        } while (docs.size() == BATCH);
        return released;
    }

    /** Re-evaluates the alerts of documents changed since their last reconciliation. */
    public void reconcileAlerts() {
        List<Document> docs = repository.quotas().find(new Document(ALERTS_DIRTY, true))
                .projection(new Document(RESERVATIONS, 0).append(QuotaRepository.FILES, 0)
                        .append(QuotaRepository.EVENTS, 0).append(QuotaRepository.PENDING_ALERTS, 0))
                .limit(BATCH * 4)
                .into(new ArrayList<>());
        docs.forEach(doc -> alerts.reconcile(doc, true));
    }
}
