package dev.clipflow.catalog.replace.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.UUID;

/** upload-service's internal API, called with a service token (client credentials). */
@RegisterRestClient(configKey = "upload")
@OidcClientFilter
@Path("/internal/uploads")
interface UploadApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Session open(ReplacementRequest request);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReplacementRequest(UUID ownerId, UUID replaces, String fileName, long size, Long chunkSize,
            String contentType, String sha256, String protocol) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Session(UUID uploadId, UUID videoId, String protocol, long chunkSize, int totalChunks, long sizeBytes,
            Instant expiresAt, String tusUrl, Double storagePercentUsed, Boolean storageAlert) {
    }
}
