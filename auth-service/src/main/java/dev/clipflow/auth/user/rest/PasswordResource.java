package dev.clipflow.auth.user.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.auth.user.service.AccountService;
import dev.clipflow.auth.web.ClientAddresses;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Password reset by e-mail and password change. Both end every session of the user. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PasswordResource {

    private final AccountService accounts;
    private final JsonWebToken jwt;
    private final ClientAddresses addresses;

    public PasswordResource(AccountService accounts, JsonWebToken jwt, ClientAddresses addresses) {
        this.accounts = accounts;
        this.jwt = jwt;
        this.addresses = addresses;
    }

    @POST
    @Path("/password-reset")
    @Operation(summary = "E-mail a reset link; 202 whether or not the address has an account")
    @APIResponse(responseCode = "202", description = "Accepted (the same answer whether or not the account exists)")
    public Response requestReset(@Valid @NotNull AuthRequests.PasswordReset body,
            @Context HttpServerRequest request) {
        accounts.requestPasswordReset(body.email(), addresses.of(request));
        return Response.accepted().build();
    }

    @POST
    @Path("/password-reset/confirm")
    @Operation(summary = "Set a new password with the e-mailed token")
    @APIResponse(responseCode = "204", description = "Password changed; other sessions are signed out")
    public Response confirmReset(@Valid @NotNull AuthRequests.PasswordResetConfirm body) {
        accounts.confirmPasswordReset(body.token(), body.newPassword());
        return Response.noContent().build();
    }

    @POST
    @Path("/password")
    @Authenticated
    @Operation(summary = "Change the password of the signed-in user")
    @APIResponse(responseCode = "204", description = "Password changed")
    public Response change(@Valid @NotNull AuthRequests.PasswordChange body) {
        accounts.changePassword(MeResource.userId(jwt), body.currentPassword(), body.newPassword());
        return Response.noContent().build();
    }
}
