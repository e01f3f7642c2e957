package dev.clipflow.auth.client.rest;

import dev.clipflow.auth.client.ServiceClients;
import dev.clipflow.auth.login.LoginThrottle;
import dev.clipflow.auth.token.AccessTokens;
import dev.clipflow.auth.web.ClientAddresses;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * OAuth2 token endpoint for internal callers (not routed by the gateway): {@code grant_type=client_credentials}
 * with {@code client_id}/{@code client_secret} in the form or as HTTP Basic.
 */
@Path("/internal/auth/token")
public class ServiceTokenResource {

    public record TokenResponse(String access_token, String token_type, long expires_in) {
    }

    private final ServiceClients clients;
    private final LoginThrottle throttle;
    private final ClientAddresses addresses;

    public ServiceTokenResource(ServiceClients clients, LoginThrottle throttle, ClientAddresses addresses) {
        this.clients = clients;
        this.throttle = throttle;
        this.addresses = addresses;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Client-credentials grant: a 5-minute service token")
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        if (!"client_credentials".equals(grantType)) {
            throw new ProblemException(Problem.of(400, "auth.unsupported_grant_type", "Bad Request",
                    "Only grant_type=client_credentials is supported.").with("error", "unsupported_grant_type"));
        }
        String id = clientId;
        String secret = clientSecret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                // RFC 6749 2.3.1: both parts are form-encoded inside Basic
                id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        String address = addresses.of(request);
        String client = id == null ? "" : id;
        throttle.serviceToken(client, address);
        AccessTokens.Signed token = clients.token(id, secret);
        throttle.serviceTokenGranted(client, address);
        return Response.ok(new TokenResponse(token.token(), "Bearer", token.lifetime().toSeconds()))
                .header("Cache-Control", "no-store")
                .build();
    }
}
