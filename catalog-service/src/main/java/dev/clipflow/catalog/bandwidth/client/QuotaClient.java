package dev.clipflow.catalog.bandwidth.client;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Reads a user's bandwidth figures from quota-service, with a timeout, one retry and a circuit breaker. */
@ApplicationScoped
public class QuotaClient {

    /** A user's bandwidth in the current period; a null limit means unlimited. */
    public record BandwidthState(Long limitBytes, long usedBytes) {

        public boolean exhausted(long unreported) {
            return limitBytes != null && usedBytes + unreported >= limitBytes;
        }
    }

    private final QuotaApi api;

    public QuotaClient(@RestClient QuotaApi api) {
        this.api = api;
    }

    @Timeout(value = 1500, unit = ChronoUnit.MILLIS)
    @Retry(maxRetries = 1, delay = 100, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    public BandwidthState bandwidth(UUID userId) {
        QuotaApi.UserQuota quota = api.user(userId);
        if (quota == null || quota.bandwidth() == null) {
            return new BandwidthState(null, 0);
        }
        QuotaApi.Bandwidth bandwidth = quota.bandwidth();
        return new BandwidthState(bandwidth.limitBytes(), bandwidth.usedBytes() == null ? 0 : bandwidth.usedBytes());
    }
}
