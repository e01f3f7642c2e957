package dev.clipflow.catalog.replace.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * upload-service for catalog-service: opens the upload session of a video's new file, with a timeout and a circuit
 * breaker (no retry: opening is not idempotent, and a user retries the request). upload-service's refusals (quota,
 * size, type, too many sessions) reach the client as they are; an unreachable upload-service is a 503.
 */
@ApplicationScoped
public class UploadClient {

    /** The session: {@code mediaId} is the new file's media id. */
    public record Session(UUID uploadId, UUID mediaId, String protocol, long chunkSize, int totalChunks,
            long sizeBytes, Instant expiresAt, String tusUrl, Double storagePercentUsed, Boolean storageAlert) {
    }

    private final UploadApi api;

    public UploadClient(@RestClient UploadApi api) {
        this.api = api;
    }

    @Timeout(value = 5000, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.6, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ProblemException.class)
    public Session open(UUID ownerId, UUID videoId, String fileName, long size, Long chunkSize, String contentType,
            String sha256, String protocol) {
        try {
            UploadApi.Session s = api.open(new UploadApi.ReplacementRequest(ownerId, videoId, fileName, size,
                    chunkSize, contentType, sha256, protocol));
            return new Session(s.uploadId(), s.videoId(), s.protocol(), s.chunkSize(), s.totalChunks(),
                    s.sizeBytes(), s.expiresAt(), s.tusUrl(), s.storagePercentUsed(), s.storageAlert());
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 401) {
                JsonNode body = null;
                try {
                    body = e.getResponse().readEntity(JsonNode.class);
                } catch (RuntimeException ignored) {
                    // no readable body
                }
                String code = body == null ? null : body.path("code").asText(null);
                if (code != null) { // upload-service's own refusal, e.g. quota.storage_exceeded, upload.file_too_large
                    throw new ProblemException(status, code, body.path("title").asText("Error"),
                            body.path("detail").asText(null));
                }
            }
            throw unavailable();
        } catch (RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw unavailable();
        }
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "upload.unavailable", "Service Unavailable",
                "Uploads cannot be opened right now; try again shortly.");
    }
}
