package dev.clipflow.auth.user.rest;

import dev.clipflow.auth.user.service.AccountSettings;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The signed-in user's account settings (today: whether quota alerts are e-mailed). */
@Path("/api/auth/me/settings")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final AccountSettings settings;
    private final JsonWebToken jwt;

    public SettingsResource(AccountSettings settings, JsonWebToken jwt) {
        this.settings = settings;
        this.jwt = jwt;
    }

    /** A change of settings; an omitted field stays as it is. */
    public record SettingsUpdate(Boolean quotaAlertMail) {
    }

    @GET
    @Operation(summary = "The signed-in user's account settings")
    public AccountSettings.Settings get() {
        return settings.of(MeResource.userId(jwt));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change account settings (e.g. turn quota alert e-mails off)")
    public AccountSettings.Settings update(@Valid @NotNull SettingsUpdate body) {
        return settings.update(MeResource.userId(jwt), body.quotaAlertMail());
    }
}
