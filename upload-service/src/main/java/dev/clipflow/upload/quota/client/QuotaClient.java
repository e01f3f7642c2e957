package dev.clipflow.upload.quota.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
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
 * Storage reservations in quota-service, guarded by a timeout, retries (every call is idempotent:
 * the upload id is the reservation id) and a circuit breaker. Over quota becomes the 403 problem
 * {@code quota.storage_exceeded} with quota-service's storage figures; quota-service unreachable
 * becomes 503 {@code quota.unavailable}.
 */
@ApplicationScoped
public class QuotaClient {

    private final QuotaApi api;

    public QuotaClient(@RestClient QuotaApi api) {
        this.api = api;
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.6, delay = 10_000, skipOn = ProblemException.class)
    public Reservation reserve(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName,
            Instant expiresAt) {
        try {
            return api.reserve(new ReservationRequest(reservationId, userId, bytes, videoId, fileName,
                    expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS)));
        } catch (WebApplicationException e) {
            throw translate(e);
        }
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.6, delay = 10_000, skipOn = ProblemException.class)
    public void commit(UUID reservationId, long sizeBytes) {
        try {
            api.commit(reservationId, new CommitRequest(sizeBytes));
        } catch (WebApplicationException e) {
            throw translate(e);
        }
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.6, delay = 10_000, skipOn = ProblemException.class)
    public void release(UUID reservationId) {
        try {
            api.release(reservationId);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return;
            }
            throw translate(e);
        }
    }

    private static RuntimeException translate(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        JsonNode body = null;
        try {
            body = e.getResponse().readEntity(JsonNode.class);
        } catch (RuntimeException ignored) {
            // no readable body
        }
        if (status == 403) {
            Problem problem = Problem.of(403, "quota.storage_exceeded", "Forbidden",
                    body != null && body.hasNonNull("detail") ? body.get("detail").asText()
                            : "This upload would exceed your storage quota.");
            if (body != null && body.has("storage")) {
                problem = problem.with("storage", body.get("storage"));
            }
            return new ProblemException(problem);
        }
        if (status >= 400 && status < 500) {
            Log.warnf("quota-service refused a call: %d %s", status, body);
            return new ProblemException(502, "quota.refused", "Bad Gateway",
                    "The quota service refused the request.");
        }
        return e;
    }

    /** Storage figures as quota-service reports them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Storage(long limitBytes, long usedBytes, long reservedBytes, Double percentUsed, Boolean alert) {
    }

    /** A granted reservation. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reservation(UUID reservationId, Storage storage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReservationRequest(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName,
            Instant expiresAt) {
    }

    public record CommitRequest(long sizeBytes) {
    }
}
