package dev.clipflow.notify.webhook.service;

import dev.clipflow.contracts.problem.ProblemException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Who asks: a user (their own endpoints) or an admin (every user's).
 */
public record Caller(UUID userId, boolean admin) {

    /** The caller of a user token; a token without a user (a service's) owns no endpoints: 403. */
    public static Caller of(JsonWebToken jwt) {
        boolean admin = jwt.getGroups() != null && jwt.getGroups().contains("admin");
        try {
            return new Caller(UUID.fromString(jwt.getSubject()), admin);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(403, "auth.forbidden", "Forbidden", "Only users have webhook endpoints.");
        }
    }

    /** Admins manage every endpoint (platform ones included: no owner); a user only their own. */
    public boolean mayManage(UUID ownerId) {
        return admin || userId.equals(ownerId);
    }
}
