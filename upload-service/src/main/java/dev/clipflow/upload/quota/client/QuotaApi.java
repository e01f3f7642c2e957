package dev.clipflow.upload.quota.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.UUID;

/** quota-service's internal API (team notes), called with a service token. Use {@link QuotaClient}. */
@RegisterRestClient(configKey = "quota")
@OidcClientFilter
@Path("/internal/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface QuotaApi {

    @POST
    @Path("/reservations")
    QuotaClient.Reservation reserve(QuotaClient.ReservationRequest request);

    @POST
    @Path("/reservations/{reservationId}/commit")
    void commit(@PathParam("reservationId") UUID reservationId, QuotaClient.CommitRequest request);

    @DELETE
    @Path("/reservations/{reservationId}")
    void release(@PathParam("reservationId") UUID reservationId);
}
