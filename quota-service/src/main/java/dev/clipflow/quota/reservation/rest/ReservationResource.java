package dev.clipflow.quota.reservation.rest;

import dev.clipflow.quota.access.Caller;
import dev.clipflow.quota.access.PathIds;
import dev.clipflow.quota.reservation.service.Reservation;
import dev.clipflow.quota.reservation.service.ReservationResult;
import dev.clipflow.quota.reservation.service.ReservationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Internal (not routed by the gateway): storage reservations for upload-service. Service tokens only:
 * a user holding their own token could otherwise commit a reservation with any size and so store
 * more than the limit (found by the system tests' ownership sweep).
 */
@Path("/internal/quota/reservations")
@RolesAllowed(Caller.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal-quota", description = "Internal API for other services (service token)")
public class ReservationResource {

    private final ReservationService reservations;
    private final Caller caller;

    public ReservationResource(ReservationService reservations, Caller caller) {
        this.reservations = reservations;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve storage", description = "Atomic: succeeds only if used + reserved + bytes "
            + "<= limit. Idempotent per reservationId. Unreleased reservations are released at expiresAt.")
    @APIResponse(responseCode = "201", description = "Reserved: {reservationId, storage}")
    @APIResponse(responseCode = "200", description = "The same reservationId was reserved before: same body")
    @APIResponse(responseCode = "400", description = "Invalid body")
    @APIResponse(responseCode = "403", description = "quota.storage_exceeded (with the storage figures), or "
            + "a token that is not a service token")
    @APIResponse(responseCode = "409", description = "The reservationId exists with a different size")
    public RestResponse<ReservationResponse> reserve(@Valid @NotNull ReservationRequest request) {
        ReservationResult result = reservations.reserve(new Reservation(request.reservationId(), request.userId(),
                request.bytes(), request.videoId(), request.fileName().strip(), request.expiresAt()));
        return RestResponse.status(result.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                new ReservationResponse(result.reservationId(), result.storage()));
    }

    @POST
    @Path("/{reservationId}/commit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Commit a reservation", description = "Reserved bytes become used bytes and the file "
            + "entry is added; sizeBytes (default: the reserved bytes) is what is charged. Idempotent.")
    @APIResponse(responseCode = "200", description = "Committed: {reservationId, storage}")
    @APIResponse(responseCode = "404", description = "quota.reservation_not_found (expired, released or unknown)")
    @APIResponse(responseCode = "403", description = "quota.storage_exceeded: sizeBytes above the reservation "
            + "does not fit")
    public ReservationResponse commit(@PathParam("reservationId") String reservationId,
            @Valid CommitRequest request) {
        ReservationResult result = reservations.commit(PathIds.parse(reservationId, "reservationId"),
                request == null ? null : request.sizeBytes(), caller.scope());
        return new ReservationResponse(result.reservationId(), result.storage());
    }

    @DELETE
    @Path("/{reservationId}")
    @Operation(summary = "Release a reservation", description = "Returns the reserved bytes. Idempotent: an "
            + "unknown, committed or already released id is a 204 too.")
    @APIResponse(responseCode = "204", description = "Released (or nothing to release)")
    public void release(@PathParam("reservationId") String reservationId) {
        reservations.release(PathIds.parse(reservationId, "reservationId"), caller.scope());
    }
}
