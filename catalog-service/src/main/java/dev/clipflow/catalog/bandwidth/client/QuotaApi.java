package dev.clipflow.catalog.bandwidth.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.UUID;

/** quota-service's internal API, called with a service token (client credentials). */
@RegisterRestClient(configKey = "quota")
@OidcClientFilter
@Path("/internal/quota")
interface QuotaApi {

    @GET
    @Path("/users/{userId}")
    UserQuota user(@PathParam("userId") UUID userId);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserQuota(Bandwidth bandwidth) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Bandwidth(Long limitBytes, Long usedBytes) {
    }
}
