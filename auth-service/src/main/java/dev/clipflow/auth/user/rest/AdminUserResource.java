package dev.clipflow.auth.user.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.auth.user.service.UserAdminService;
import dev.clipflow.auth.user.service.UserView;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** User management for admins. */
@Path("/api/admin/users")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUserResource {

    private final UserAdminService admin;
    private final JsonWebToken jwt;

    public AdminUserResource(UserAdminService admin, JsonWebToken jwt) {
        this.admin = admin;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Search users by e-mail or display name, newest first")
    public Page<UserView> search(@QueryParam("q") @Size(max = 254) String q,
            @QueryParam("page") @Min(0) Integer page, @QueryParam("size") @Min(1) @Max(10_000) Integer size) {
        Page.PageRequest request;
        try {
            request = Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) { // page x size beyond 2^31-1 was a 500
            throw ProblemException.badRequest("request.invalid_value", e.getMessage());
        }
        return admin.search(q, request);
    }

    @POST
    @Operation(summary = "Create a user who is active at once")
    @APIResponse(responseCode = "201", description = "The user, active at once", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserView.class)))
    public Response create(@Valid @NotNull AuthRequests.CreateUser body, @Context UriInfo uri) {
        UserView user = admin.create(body.email(), body.password(), body.displayName(), body.roles());
        return Response.created(uri.getAbsolutePathBuilder().path(user.id().toString()).build()).entity(user).build();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") UUID id) {
        return admin.get(id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Rename, change roles, enable or disable, activate; absent fields stay unchanged",
            description = "Accepts the user's own GET representation: read-only fields (id, email, createdAt, "
                    + "updatedAt) are ignored when unchanged and refused (400 request.read_only_field) when they differ.")
    public UserView update(@PathParam("id") UUID id, @Valid @NotNull AuthRequests.UpdateUser body) {
        return admin.update(id, new UserAdminService.Change(Optional.ofNullable(body.displayName()),
                Optional.ofNullable(body.roles()), Optional.ofNullable(body.enabled()),
                Optional.ofNullable(body.activated()),
                new UserAdminService.ReadOnly(body.id(), body.email(), body.createdAt(), body.updatedAt())));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a user; publishes user.deleted, so their videos, blobs and quota go too")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") UUID id) {
        admin.delete(id, MeResource.userId(jwt));
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "Delete every non-admin user (needs confirm=true)")
    public Map<String, Integer> deleteAll(@QueryParam("confirm") boolean confirm) {
        if (!confirm) {
            throw ProblemException.badRequest("request.confirmation_required",
                    "Deleting every non-admin user needs ?confirm=true.");
        }
        return Map.of("deleted", admin.deleteAllNonAdmins(MeResource.userId(jwt)));
    }
}
