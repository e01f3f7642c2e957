package dev.clipflow.quota.usage.rest;

import dev.clipflow.quota.access.PathIds;
import dev.clipflow.quota.usage.service.AdminQuotaView;
import dev.clipflow.quota.usage.service.QuotaService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admins read and set any user's limits. */
@Path("/api/admin/quota/{userId}")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin-quota", description = "Per-user limits (admin)")
public class AdminQuotaResource {

    private final QuotaService quotas;

    public AdminQuotaResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    @GET
    @Operation(summary = "A user's limits and usage")
    @APIResponse(responseCode = "200", description = "storageLimitBytes, bandwidthLimitBytes and the usage")
    @APIResponse(responseCode = "400", description = "userId is not a UUID")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public AdminQuotaView get(@PathParam("userId") String userId) {
        return quotas.adminView(PathIds.parse(userId, "userId"));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a user's limits", description = "Both limits are required, in bytes, >= 0. "
            + "Lowering a limit below the usage keeps the files but refuses new reservations. The GET "
            + "representation is accepted as it is: userId must be unchanged, the usage figures are ignored.")
    @APIResponse(responseCode = "200", description = "The new limits and the usage")
    @APIResponse(responseCode = "400", description = "Missing, negative or unknown fields, or a bad userId")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public AdminQuotaView put(@PathParam("userId") String userId, @Valid @NotNull LimitsRequest limits) {
        java.util.UUID id = PathIds.parse(userId, "userId");
        if (limits.userId() != null && !limits.userId().equalsIgnoreCase(id.toString())) {
            throw dev.clipflow.contracts.problem.ProblemException.badRequest("request.read_only_field",
                    "Field 'userId' is read-only; send it unchanged or leave it out.");
        }
        return quotas.setLimits(id, limits.storageLimitBytes(), limits.bandwidthLimitBytes());
    }
}
