package dev.clipflow.auth.user.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.auth.user.service.AccountService;
import dev.clipflow.auth.user.service.TokenPair;
import dev.clipflow.auth.user.service.UserView;
import dev.clipflow.auth.web.AuthCookies;
import dev.clipflow.auth.web.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Registration, activation, sign-in, token refresh and sign-out. */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AccountService accounts;
    private final AuthCookies cookies;
    private final ClientAddresses addresses;

    public AuthResource(AccountService accounts, AuthCookies cookies, ClientAddresses addresses) {
        this.accounts = accounts;
        this.cookies = cookies;
        this.addresses = addresses;
    }

    @POST
    @Path("/register")
    @Operation(summary = "Create an account; an activation link is e-mailed")
    @APIResponse(responseCode = "201", description = "Registered; the activation e-mail is on its way", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserView.class)))
    public Response register(@Valid @NotNull AuthRequests.Register body, @Context UriInfo uri,
            @Context HttpServerRequest request) {
        UserView user = accounts.register(body.email(), body.password(), body.displayName(), addresses.of(request));
        return Response.created(uri.getBaseUriBuilder().path("/api/auth/me").build()).entity(user).build();
    }

    @POST
    @Path("/activate")
    @Operation(summary = "Activate an account with the token of its activation e-mail")
    public UserView activate(@Valid @NotNull AuthRequests.Token body) {
        return accounts.activate(body.token());
    }

    @GET
    @Path("/activate")
    @Operation(summary = "Activate an account from the e-mailed link")
    public UserView activateLink(@QueryParam("token") @NotBlank @Size(max = 200) String token) {
        return accounts.activate(token);
    }

    @POST
    @Path("/login")
    @Operation(summary = "Sign in: an access and a refresh token, also set as HttpOnly cookies")
    @APIResponse(responseCode = "200", description = "Tokens (also set as HttpOnly cookies)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenPair.class)))
    public Response login(@Valid @NotNull AuthRequests.Login body, @Context HttpServerRequest request) {
        TokenPair pair = accounts.login(body.email(), body.password(), addresses.of(request));
        return Response.ok(pair).cookie(cookies.of(pair)).build();
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Exchange a refresh token (body or cookie) for a new pair; the old one stops working")
    @APIResponse(responseCode = "200", description = "A new pair (also set as cookies)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenPair.class)))
    public Response refresh(@Valid AuthRequests.Refresh body, @CookieParam(AuthCookies.REFRESH) String cookie) {
        TokenPair pair = accounts.refresh(body != null && body.refreshToken() != null ? body.refreshToken() : cookie);
        return Response.ok(pair).cookie(cookies.of(pair)).build();
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Sign out: the refresh token's session is revoked and the cookies cleared")
    @APIResponse(responseCode = "204", description = "Signed out; the refresh token is revoked, the cookies cleared")
    public Response logout(@Valid AuthRequests.Refresh body, @CookieParam(AuthCookies.REFRESH) String cookie) {
        accounts.logout(body != null && body.refreshToken() != null ? body.refreshToken() : cookie);
        return Response.noContent().cookie(cookies.cleared()).build();
    }
}
