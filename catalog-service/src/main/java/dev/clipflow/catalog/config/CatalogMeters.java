package dev.clipflow.catalog.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * catalog-service's meters (docs/operations.md, "Meters"), on Micrometer's global registry (Quarkus adds
 * its Prometheus registry to it), so the classes that count need no extra constructor argument:
 * {@code clipflow_catalog_streamed_bytes_total} (media bytes sent: stream, download, HLS, share links),
 * {@code clipflow_catalog_bandwidth_refusals_total} (403 quota.bandwidth_exceeded),
 * {@code clipflow_catalog_quota_unavailable_total} (bandwidth checks skipped because quota-service did
 * not answer) and {@code clipflow_catalog_share_uses_total} (requests made with a share link). Every
 * series exists at 0 from the start.
 */
@ApplicationScoped
public class CatalogMeters {

    private static final String STREAMED = "clipflow.catalog.streamed.bytes";
    private static final String REFUSALS = "clipflow.catalog.bandwidth.refusals";
    private static final String QUOTA_UNAVAILABLE = "clipflow.catalog.quota.unavailable";
    private static final String SHARE_USES = "clipflow.catalog.share.uses";

    public static void streamed(long bytes) {
        streamedCounter().increment(bytes);
    }

    public static void bandwidthRefused() {
        Metrics.counter(REFUSALS).increment();
    }

    public static void quotaUnavailable() {
        Metrics.counter(QUOTA_UNAVAILABLE).increment();
    }

    public static void shareUsed() {
        Metrics.counter(SHARE_USES).increment();
    }

    private static Counter streamedCounter() {
        return Counter.builder(STREAMED).baseUnit("bytes").description("Media bytes sent to viewers")
                .register(Metrics.globalRegistry);
    }

    void register(@Observes StartupEvent event) {
        streamedCounter();
        Metrics.counter(REFUSALS);
        Metrics.counter(QUOTA_UNAVAILABLE);
        Metrics.counter(SHARE_USES);
    }
}
