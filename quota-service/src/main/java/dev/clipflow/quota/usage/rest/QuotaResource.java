package dev.clipflow.quota.usage.rest;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;

/** The signed-in user's quota (placeholder until the quota store lands). */
@Path("/api/quota")
@Authenticated
public class QuotaResource {

    private final JsonWebToken jwt;

    public QuotaResource(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    @GET
    @Path("/me")
    public Map<String, Object> me() {
        return Map.of("userId", jwt.getSubject());
    }
}
