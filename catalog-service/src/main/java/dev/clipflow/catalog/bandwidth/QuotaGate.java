package dev.clipflow.catalog.bandwidth;

import dev.clipflow.catalog.bandwidth.client.QuotaClient;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses serving once a video owner's bandwidth is used up (quota-service's figure plus what this
 * instance served and has not reported yet). quota-service's answer is cached briefly; when it
 * cannot be reached the catalog serves (fails open) and logs, so a quota outage never stops playback.
 */
@ApplicationScoped
public class QuotaGate {

    private record Cached(QuotaClient.BandwidthState state, long fetchedAt) {
    }

    private final QuotaClient quota;
    private final BandwidthMeter meter;
    private final CatalogConfig config;
    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();

    public QuotaGate(QuotaClient quota, BandwidthMeter meter, CatalogConfig config) {
        this.quota = quota;
        this.meter = meter;
        this.config = config;
    }

    /** Throws 403 {@code quota.bandwidth_exceeded} when the owner may not be served any more. */
    public void checkServing(UUID ownerId) {
        if (!config.bandwidth().enforce()) {
            return;
        }
        QuotaClient.BandwidthState state = state(ownerId);
        if (state != null && state.exhausted(meter.pending(ownerId))) {
            dev.clipflow.catalog.config.CatalogMeters.bandwidthRefused();
            throw new ProblemException(Problem.of(403, "quota.bandwidth_exceeded", "Forbidden",
                    "The owner of this video has used up their bandwidth for this period.")
                    .with("limitBytes", state.limitBytes()));
        }
    }

    private QuotaClient.BandwidthState state(UUID ownerId) {
        long now = System.nanoTime();
        Cached cached = cache.get(ownerId);
        if (cached != null && now - cached.fetchedAt() < config.bandwidth().cacheTtl().toNanos()) {
            return cached.state();
        }
        QuotaClient.BandwidthState state;
        try {
            state = quota.bandwidth(ownerId);
        } catch (RuntimeException e) {
            Log.warnf("quota-service unavailable (%s); serving %s without a bandwidth check", e.getMessage(), ownerId);
            dev.clipflow.catalog.config.CatalogMeters.quotaUnavailable();
            state = null;
        }
        cache.put(ownerId, new Cached(state, now));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        return state;
    }

    /** Forgets cached figures (tests, and after an admin changed limits). */
    public void invalidate() {
        cache.clear();
    }
}
