package dev.clipflow.quota.access;

import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Who is calling: another service (group {@code service}, from a client-credentials token) or a user
 * (subject = user id). Internal endpoints let services act for anyone and users only for themselves.
 */
@RequestScoped
public class Caller {

    public static final String SERVICE = "service";

    private final JsonWebToken jwt;

    public Caller(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public boolean isService() {
        return jwt.getGroups() != null && jwt.getGroups().contains(SERVICE);
    }

    /** The calling user's id; 403 for a token that does not name a user. */
    public UUID userId() {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (RuntimeException e) {
            throw ProblemException.forbidden("auth.forbidden", "This token does not belong to a user.");
        }
    }

    /** 403 unless the caller is a service or the user themself. */
    public void requireAccessTo(UUID userId) {
        if (!isService() && !userId().equals(userId)) {
            throw ProblemException.forbidden("auth.forbidden", "You may only act on your own quota.");
        }
    }

    /** The user whose data the call is limited to: none for a service, the caller for a user. */
    public UUID scope() {
        return isService() ? null : userId();
    }
}
