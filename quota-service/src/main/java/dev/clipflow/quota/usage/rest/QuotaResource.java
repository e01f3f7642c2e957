package dev.clipflow.quota.usage.rest;

import dev.clipflow.quota.access.Caller;
import dev.clipflow.quota.account.QuotaView;
import dev.clipflow.quota.usage.service.QuotaService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in user's quota. */
@Path("/api/quota")
@Authenticated
@Tag(name = "quota", description = "Storage and bandwidth quota of the signed-in user")
public class QuotaResource {

    private final QuotaService quotas;
    private final Caller caller;

    public QuotaResource(QuotaService quotas, Caller caller) {
        this.quotas = quotas;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "My quota", description = "Storage (used, reserved, limit), bandwidth of the current "
            + "monthly period, deletions and the stored files. percentUsed of storage counts used plus reserved "
            + "bytes; alert is true from 80 %.")
    @APIResponse(responseCode = "200", description = "The quota (defaults for a user without uploads)")
    public QuotaView me() {
        return quotas.view(caller.userId());
    }
}
