package dev.clipflow.auth.user.rest;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** The signed-in user as their token describes them (replaced by the user store in issue 3). */
@Path("/api/auth/me")
@Authenticated
public class MeResource {

    private final JsonWebToken jwt;

    public MeResource(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    @GET
    public Me me() {
        return new Me(jwt.getSubject(), jwt.getName(), jwt.getGroups());
    }

    public record Me(String id, String email, Set<String> roles) {
    }
}
