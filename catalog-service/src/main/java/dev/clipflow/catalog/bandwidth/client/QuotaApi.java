package dev.clipflow.catalog.bandwidth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.UUID;

/** quota-service's internal API, called with a service token (client credentials). */
@RegisterRestClient(configKey = "quota")
@OidcClientFilter
@Path("/internal/quota")
interface QuotaApi {

    @GET
    @Path("/users/{userId}")
    UserQuota user(@PathParam("userId") UUID userId);

    @POST
    @Path("/reservations")
    @Consumes(MediaType.APPLICATION_JSON)
    void reserve(ReservationRequest request);

    @DELETE
    @Path("/reservations/{reservationId}")
    void release(@PathParam("reservationId") UUID reservationId);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReservationRequest(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName,
            Instant expiresAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserQuota(Bandwidth bandwidth) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Bandwidth(Long limitBytes, Long usedBytes) {
    }
}
