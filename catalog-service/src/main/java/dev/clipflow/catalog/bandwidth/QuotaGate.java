package dev.clipflow.catalog.bandwidth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clipflow.catalog.bandwidth.client.QuotaClient;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses serving once a video owner's bandwidth is used up (quota-service's figure plus what this
 * instance served and has not reported yet, which counts at once). quota-service's answer is kept per owner
 * (Caffeine): reused for {@code bandwidth.cache-ttl}; the first request after that refreshes it in the background
 * while requests go on with the old figure, for at most another {@code cache-ttl}; past twice the TTL requests
 * wait for the new figure. However many requests arrive at once, an owner has at most one look-up in flight
 * (single-flight). When quota-service cannot be reached the catalog serves (fails open) and logs, so a quota
 * outage never stops playback.
 */
@ApplicationScoped
public class QuotaGate {

    private final QuotaClient quota;
    private final BandwidthMeter meter;
    private final CatalogConfig config;
    /** Empty: quota-service could not answer (serve without a check until the next look-up). */
    private final AsyncLoadingCache<UUID, Optional<QuotaClient.BandwidthState>> states;

    public QuotaGate(QuotaClient quota, BandwidthMeter meter, CatalogConfig config) {
        this.quota = quota;
        this.meter = meter;
        this.config = config;
        this.states = Caffeine.newBuilder()
                .executor(Infrastructure.getDefaultWorkerPool()) // the look-up blocks (REST client): never on an event loop
                .refreshAfterWrite(config.bandwidth().cacheTtl())
                .expireAfterWrite(config.bandwidth().cacheTtl().multipliedBy(2))
                .maximumSize(10_000)
                .buildAsync(this::fetch);
    }

    /**
     * Completes once the owner's figure is known here, at once when it is cached: call it before {@link
     * #checkServing} on an event loop, which then does not block. A look-up in flight is shared, not repeated.
     */
    public Uni<Void> ready(UUID ownerId) {
        if (!config.bandwidth().enforce()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Optional<QuotaClient.BandwidthState>> state = states.get(ownerId);
        if (state.isDone()) {
            return Uni.createFrom().voidItem();
        }
        // a copy: a client hanging up cancels its Uni, which must not cancel the look-up other requests share
        return Uni.createFrom().completionStage(state.copy()).replaceWithVoid();
    }

    /** Throws 403 {@code quota.bandwidth_exceeded} when the owner may not be served any more. */
    public void checkServing(UUID ownerId) {
        if (!config.bandwidth().enforce()) {
            return;
        }
        CompletableFuture<Optional<QuotaClient.BandwidthState>> lookUp = states.get(ownerId);
        // an event loop must not wait: it got here after ready(), so the figure is known unless it expired just now
        // (then this one request is served unchecked, like during a quota outage); a worker thread may wait
        QuotaClient.BandwidthState state = (Context.isOnEventLoopThread() ? lookUp.getNow(Optional.empty())
                : lookUp.join()).orElse(null);
        if (state != null && state.exhausted(meter.pending(ownerId))) {
            dev.clipflow.catalog.config.CatalogMeters.bandwidthRefused();
            throw new ProblemException(Problem.of(403, "quota.bandwidth_exceeded", "Forbidden",
                    "The owner of this video has used up their bandwidth for this period.")
                    .with("limitBytes", state.limitBytes()));
        }
    }

    private Optional<QuotaClient.BandwidthState> fetch(UUID ownerId) {
        try {
            return Optional.of(quota.bandwidth(ownerId));
        } catch (RuntimeException e) {
            Log.warnf("quota-service unavailable (%s); serving %s without a bandwidth check", e.getMessage(), ownerId);
            dev.clipflow.catalog.config.CatalogMeters.quotaUnavailable();
            return Optional.empty();
        }
    }

    /** Forgets cached figures (tests, and after an admin changed limits). */
    public void invalidate() {
        states.synchronous().invalidateAll();
    }
}
