package dev.clipflow.quota.config;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * quota-service's meters (docs/operations.md, "Meters"), on Micrometer's global registry (Quarkus adds
 * its Prometheus registry to it), so the classes that count need no extra constructor argument:
 * {@code clipflow_quota_reservations_total{outcome}} (granted, refused: over the limit) and
 * {@code clipflow_quota_alerts_total{resource,threshold}} (alerts recorded for sending). Every series
 * exists at 0 from the start.
 */
@ApplicationScoped
public class QuotaMeters {

    /** A reservation was granted or refused (403 quota.storage_exceeded). */
    public static void reservation(String outcome) {
        Metrics.counter("clipflow.quota.reservations", "outcome", outcome).increment();
    }

    /** An alert crossed a threshold upward and waits to be sent. */
    public static void alert(String resource, int threshold) {
        Metrics.counter("clipflow.quota.alerts", "resource", resource, "threshold", String.valueOf(threshold)).increment();
    }

    void register(@Observes StartupEvent event) {
        for (String outcome : new String[] {"granted", "refused"}) {
            Metrics.counter("clipflow.quota.reservations", "outcome", outcome);
        }
        for (String resource : new String[] {"storage", "bandwidth"}) {
            for (int threshold : new int[] {80, 100}) {
                Metrics.counter("clipflow.quota.alerts", "resource", resource, "threshold", String.valueOf(threshold));
            }
        }
    }
}
