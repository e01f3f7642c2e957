package dev.clipflow.quota.alert.service;

import dev.clipflow.quota.usage.QuotaMath;
import dev.clipflow.quota.usage.QuotaRepository;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.quota.usage.QuotaRepository.ALERTS_DIRTY;
import static dev.clipflow.quota.usage.QuotaRepository.ARMED;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_LIMIT;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_PERIOD;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_USED;
import static dev.clipflow.quota.usage.QuotaRepository.PENDING_ALERTS;
import static dev.clipflow.quota.usage.QuotaRepository.SEQ;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_LIMIT;
import static dev.clipflow.quota.usage.QuotaRepository.longOf;

/**
 * Decides the 80 % / 100 % alerts after a change of usage. For each threshold a per-user "armed" flag
 * says whether the next upward crossing alerts. Firing is one conditional update: the filter requires
 * the flag still armed and the threshold still reached, the update disarms it and appends the alert
 * to {@code pendingAlerts} — so concurrent requests crossing together record exactly one alert, and
 * the alert is stored in the same write as the flip (the relay sends it to Kafka later).
 * Falling back below a threshold re-arms its flag the same way.
 *
 * <p>Every usage update also sets {@code alertsDirty} and bumps {@code seq}; the sweeper re-evaluates
 * dirty documents with {@link #reconcile(Document, boolean)} and clears the mark only if no newer
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

    /** Fires or re-arms what the document (as just written) calls for. */
    public void evaluate(Document doc) {
        reconcile(doc, false);
    }

    /**
     * Like {@link #evaluate(Document)}, then clears the document's dirty mark unless it changed
     * meanwhile (the sweeper's pass over documents whose inline evaluation may not have run).
     */
    public void reconcile(Document doc, boolean clearDirty) {
        if (doc == null) {
            return;
        }
        boolean fired = false;
        Document storage = doc.get("storage", Document.class);
        long storageUsage = longOf(storage, "used") + longOf(storage, "reserved");
        long storageLimit = longOf(storage, "limit");
        for (int threshold : QuotaMath.THRESHOLDS) {
            fired |= apply(doc, STORAGE, threshold, storageUsage, storageLimit, null);
        }
        Document bandwidth = doc.get("bandwidth", Document.class);
        Date period = bandwidth.getDate("periodStart");
        Instant current = QuotaMath.periodStart(repository.now());
        if (!period.toInstant().isBefore(current)) {
            for (int threshold : QuotaMath.THRESHOLDS) {
                fired |= apply(doc, BANDWIDTH, threshold, longOf(bandwidth, "used"), longOf(bandwidth, "limit"),
                        period);
            }
        }
        if (clearDirty && Boolean.TRUE.equals(doc.getBoolean(ALERTS_DIRTY))) {
            repository.quotas().updateOne(new Document("_id", doc.get("_id")).append(SEQ, doc.get(SEQ)),
                    new Document("$unset", new Document(ALERTS_DIRTY, "")));
        }
        if (fired) {
            notifier.alertsPending();
        }
    }

    private boolean apply(Document doc, String resource, int threshold, long usage, long limit, Date period) {
        String key = resource.toLowerCase() + threshold;
        boolean armed = QuotaRepository.armed(doc, key);
        boolean reached = QuotaMath.reached(usage, limit, threshold);
        Object usageExpr = STORAGE.equals(resource) ? QuotaRepository.storageUsage() : "$" + BANDWIDTH_USED;
        String limitField = STORAGE.equals(resource) ? STORAGE_LIMIT : BANDWIDTH_LIMIT;
        Document reachedExpr = QuotaRepository.reachedExpr(usageExpr, limitField, threshold);
        Document filter = new Document("_id", doc.get("_id"));
        if (period != null) {
            filter.append(BANDWIDTH_PERIOD, period);
        }
        if (reached && armed) {
            filter.append(ARMED + "." + key, new Document("$ne", false)).append("$expr", reachedExpr);
            Document alert = new Document("id", UUID.randomUUID().toString())
                    .append("resource", resource)
                    .append("threshold", threshold)
                    .append("usedBytes", usage)
                    .append("limitBytes", limit)
                    .append("percentUsed", QuotaMath.percent(usage, limit))
                    .append("at", Date.from(repository.now()));
            String traceparent = dev.clipflow.messaging.TraceContext.current();
            if (traceparent != null) {
                // the alert's event continues the trace of the request or event that crossed the threshold
                alert.append("traceparent", traceparent);
            }
            boolean recorded = repository.quotas().updateOne(filter, new Document("$set", new Document(ARMED + "." + key, false))
                    .append("$push", new Document(PENDING_ALERTS, alert))).getModifiedCount() == 1;
            if (recorded) {
                dev.clipflow.quota.config.QuotaMeters.alert(resource.toLowerCase(java.util.Locale.ROOT), threshold);
            }
            return recorded;
        }
        if (!reached && !armed) {
            filter.append(ARMED + "." + key, false).append("$expr", new Document("$not", List.of(reachedExpr)));
            repository.quotas().updateOne(filter, new Document("$set", new Document(ARMED + "." + key, true)));
        }
        return false;
    }
}
