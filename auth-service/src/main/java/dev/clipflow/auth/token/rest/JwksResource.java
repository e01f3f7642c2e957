package dev.clipflow.auth.token.rest;

import dev.clipflow.auth.token.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The public keys tokens are verified with; every service reads them from here. */
@Path("/api/auth/jwks")
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "application/jwk-set+json"})
    public Response jwks() {
        return Response.ok(keys.current().jwksJson(), MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "public, max-age=300")
                .build();
    }
}
