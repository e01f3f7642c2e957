package dev.clipflow.auth.user.rest;

import dev.clipflow.auth.user.service.AccountService;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The signed-in user, as stored. */
@Path("/api/auth/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final AccountService accounts;
    private final JsonWebToken jwt;

    public MeResource(AccountService accounts, JsonWebToken jwt) {
        this.accounts = accounts;
        this.jwt = jwt;
    }

    @GET
    public Me me() {
        var user = accounts.me(userId(jwt));
        return new Me(user.id(), user.email(), user.displayName(), user.roles(), user.createdAt());
    }

    public record Me(UUID id, String email, String displayName, Set<String> roles, Instant createdAt) {
    }

    /** The user id of a user token; other subjects (services) have no account here: 404. */
    static UUID userId(JsonWebToken jwt) {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(404, "user.not_found", "Not Found", "The token does not belong to a user.");
        }
    }
}
