package dev.clipflow.catalog.bandwidth.client;

import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * quota-service for catalog-service: a user's bandwidth figures, and storage reservations for edits; with
 * timeouts, retries and a circuit breaker.
 */
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

    /**
     * Reserves storage for a video catalog-service is about to have made (trim, merge); idempotent per id.
     * Over quota: the 403 problem {@code quota.storage_exceeded}; quota-service unreachable: 503.
     */
    @Timeout(value = 5000, unit = ChronoUnit.MILLIS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.6, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ProblemException.class)
    public void reserve(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName,
            Instant expiresAt) {
        try {
            api.reserve(new QuotaApi.ReservationRequest(reservationId, userId, bytes, videoId, fileName,
                    expiresAt.truncatedTo(ChronoUnit.SECONDS)));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 403) {
                String detail = null;
                try {
                    detail = e.getResponse().readEntity(com.fasterxml.jackson.databind.JsonNode.class)
                            .path("detail").asText(null);
                } catch (RuntimeException ignored) {
                    // no readable body
                }
                throw new ProblemException(403, "quota.storage_exceeded", "Forbidden",
                        detail != null ? detail : "The result would exceed your storage quota.");
            }
            throw new ProblemException(503, "quota.unavailable", "Service Unavailable",
                    "Storage quota cannot be checked right now; try again shortly.");
        }
    }

    /** Gives a reservation back (an edit that was not made after all); unknown ids are fine. */
    @Timeout(value = 5000, unit = ChronoUnit.MILLIS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS)
    public void release(UUID reservationId) {
        api.release(reservationId);
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
