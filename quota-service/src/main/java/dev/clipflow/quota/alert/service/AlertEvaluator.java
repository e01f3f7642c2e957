package dev.clipflow.quota.alert.service;

import dev.clipflow.quota.account.PendingAlert;
import dev.clipflow.quota.account.QuotaMath;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.account.QuotaState;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/**
 * Decides the 80 % / 100 % alerts after a change of usage. For each threshold a per-user "armed" flag
 * says whether the next upward crossing alerts. Firing is one conditional update
 * ({@link QuotaRepository#fireAlert}): it requires the flag still armed and the threshold still reached,
 * disarms it and appends the alert to the pending ones — so concurrent requests crossing together record
 * exactly one alert, and the alert is stored in the same write as the flip (the relay sends it to Kafka
 * later). Falling back below a threshold re-arms its flag the same way.
 *
 * <p>Every usage update also marks the document dirty and bumps its sequence; the sweeper re-evaluates
 * dirty documents with {@link #reconcile(QuotaState, boolean)} and clears the mark only if no newer
 * change happened, so a crash between a usage update and its inline evaluation cannot lose an alert.
 */
@Singleton
public class AlertEvaluator {

    public static final String STORAGE = "STORAGE";
    public static final String BANDWIDTH = "BANDWIDTH";

    private final QuotaRepository repository;
    private final AlertNotifier notifier;

    public AlertEvaluator(QuotaRepository repository, AlertNotifier notifier) {
        this.repository = repository;
        this.notifier = notifier;
    }

    /** Fires or re-arms what the figures (as just written) call for. */
    public void evaluate(QuotaState state) {
        reconcile(state, false);
    }

    /**
     * Like {@link #evaluate(QuotaState)}, then clears the document's dirty mark unless it changed
     * meanwhile (the sweeper's pass over documents whose inline evaluation may not have run).
     */
    public void reconcile(QuotaState state, boolean clearDirty) {
        if (state == null) {
            return;
        }
        boolean fired = false;
        for (int threshold : QuotaMath.THRESHOLDS) {
            fired |= apply(state, STORAGE, threshold, state.storageUsage(), state.storageLimit(), null);
        }
        Instant current = QuotaMath.periodStart(repository.now());
        if (!state.periodStart().isBefore(current)) {
            for (int threshold : QuotaMath.THRESHOLDS) {
                fired |= apply(state, BANDWIDTH, threshold, state.bandwidthUsed(), state.bandwidthLimit(),
                        state.periodStart());
            }
        }
        if (clearDirty && state.alertsDirty()) {
            repository.clearDirty(state);
        }
        if (fired) {
            notifier.alertsPending();
        }
    }

    private boolean apply(QuotaState state, String resource, int threshold, long usage, long limit, Instant period) {
        boolean armed = state.armed(QuotaRepository.alertKey(resource, threshold));
        boolean reached = QuotaMath.reached(usage, limit, threshold);
        if (reached && armed) {
            boolean recorded = repository.fireAlert(new PendingAlert(UUID.randomUUID(), state.userId(), resource,
                    threshold, usage, limit, QuotaMath.percent(usage, limit), repository.now(),
                    dev.clipflow.messaging.TraceContext.current()), period);
            if (recorded) {
                dev.clipflow.quota.config.QuotaMeters.alert(resource.toLowerCase(java.util.Locale.ROOT), threshold);
            }
            return recorded;
        }
        if (!reached && !armed) {
            repository.rearmAlert(state.userId(), resource, threshold, period);
        }
        return false;
    }
}
