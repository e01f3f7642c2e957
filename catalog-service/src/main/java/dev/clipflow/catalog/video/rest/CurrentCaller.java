package dev.clipflow.catalog.video.rest;

import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/** The {@link Caller} of the current request, from the verified JWT ({@code sub}, {@code groups}). */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private final JsonWebToken jwt;

    public CurrentCaller(SecurityIdentity identity, JsonWebToken jwt) {
        this.identity = identity;
        this.jwt = jwt;
    }

    public Caller get() {
        try {
            return new Caller(UUID.fromString(jwt.getSubject()), identity.hasRole("admin"));
        } catch (IllegalArgumentException | NullPointerException e) {
            // service tokens (sub=service:<name>) and odd subjects own no videos
            throw ProblemException.forbidden("auth.forbidden", "This token does not identify a user.");
        }
    }
}
