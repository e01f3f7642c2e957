package dev.clipflow.quota.usage.rest;

import dev.clipflow.quota.access.Caller;
import dev.clipflow.quota.access.PathIds;
import dev.clipflow.quota.account.QuotaView;
import dev.clipflow.quota.usage.service.QuotaService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Internal (not routed by the gateway): any user's quota for services, e.g. catalog's bandwidth check. */
@Path("/internal/quota/users/{userId}")
@RolesAllowed({Caller.SERVICE, "user"})
@Tag(name = "internal-quota", description = "Internal API for other services (service token, or a user's own token)")
public class InternalQuotaResource {

    private final QuotaService quotas;
    private final Caller caller;

    public InternalQuotaResource(QuotaService quotas, Caller caller) {
        this.quotas = quotas;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user's quota", description = "The GET /api/quota/me body of that user.")
    @APIResponse(responseCode = "200", description = "The quota")
    @APIResponse(responseCode = "403", description = "A user token of another user")
    public QuotaView get(@PathParam("userId") String userId) {
        UUID id = PathIds.parse(userId, "userId");
        caller.requireAccessTo(id);
        return quotas.view(id);
    }
}
