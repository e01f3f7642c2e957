package dev.clipflow.notify.webhook.rest;

import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.notify.webhook.service.Caller;
import dev.clipflow.notify.webhook.service.DeliveryLog;
import dev.clipflow.notify.webhook.service.EndpointView;
import dev.clipflow.notify.webhook.service.Endpoints;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Webhook endpoints of the signed-in user (an admin: of every user, and the platform endpoints that receive
 * every user's events), their secrets and their delivery logs.
 * Thin: {@link Endpoints} and {@link DeliveryLog} do the work.
 */
@Path("/api/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    /** Create or replace an endpoint; {@code allUsers} (admins, at creation): a platform endpoint for every user's events. */
    public record EndpointRequest(String url, List<String> eventTypes, Boolean enabled, String description,
            Boolean allUsers) {

        Endpoints.EndpointSpec spec() {
            return new Endpoints.EndpointSpec(url, eventTypes, enabled, description, allUsers);
        }
    }

    /** Rotate the secret; the previous one keeps signing for {@code graceSeconds} (default 24 h, at most 7 days). */
    public record RotateRequest(Long graceSeconds) {
    }

    private final Endpoints endpoints;
    private final DeliveryLog log;
    private final JsonWebToken jwt;

    public WebhookResource(Endpoints endpoints, DeliveryLog log, JsonWebToken jwt) {
        this.endpoints = endpoints;
        this.log = log;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook endpoint; the answer shows its signing secret, once",
            description = "allUsers=true (admins only, else 403): a platform endpoint that receives the events of every user")
    @APIResponse(responseCode = "201", description = "Created; secret is shown only here")
    public Response create(@Valid @NotNull EndpointRequest body) {
        EndpointView created = endpoints.create(Caller.of(jwt), body.spec());
        return Response.created(URI.create("/api/webhooks/" + created.id())).entity(created).build();
    }

    /** Newest first; an admin sees every user's endpoints ({@code ?ownerId=} narrows to one user). */
    @GET
    @Operation(summary = "List webhook endpoints (admin: every user's, ?ownerId= for one)")
    public Page<EndpointView> list(@QueryParam("ownerId") String ownerId, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        Page.PageRequest paging = paging(page, size);
        return endpoints.list(Caller.of(jwt), ownerId == null ? null : uuid(ownerId, "ownerId"), paging.page(),
                paging.size());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook endpoint (without its secret)")
    public EndpointView get(@PathParam("id") String id) {
        return endpoints.get(Caller.of(jwt), uuid(id, "id"));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace URL, event types, enabled and description of an endpoint")
    public EndpointView update(@PathParam("id") String id, @Valid @NotNull EndpointRequest body) {
        return endpoints.update(Caller.of(jwt), uuid(id, "id"), body.spec());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook endpoint and its delivery log")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(Caller.of(jwt), uuid(id, "id"));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the signing secret; both sign during the grace period")
    public EndpointView rotate(@PathParam("id") String id, RotateRequest body) {
        Duration grace = body == null || body.graceSeconds() == null ? null : Duration.ofSeconds(body.graceSeconds());
        return endpoints.rotate(Caller.of(jwt), uuid(id, "id"), grace);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The endpoint's delivery log, newest first, each delivery with its attempts")
    public Page<DeliveryLog.DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        Page.PageRequest paging = paging(page, size);
        return log.list(Caller.of(jwt), uuid(id, "id"), paging.page(), paging.size());
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery again now, with the same webhook-id")
    @APIResponse(responseCode = "202", description = "Queued for sending")
    public Response redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(log.redeliver(Caller.of(jwt), uuid(id, "id"), uuid(deliveryId, "deliveryId")))
                .build();
    }

    private static UUID uuid(String text, String name) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.badRequest("request.invalid_value", name + " must be a UUID.");
        }
    }

    private static Page.PageRequest paging(Integer page, Integer size) {
        try {
            return Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_paging", e.getMessage() + ".");
        }
    }
}
