package dev.clipflow.problem;

import dev.clipflow.contracts.logging.LogFields;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;

import java.util.UUID;

/**
 * Puts the calling user's id into the log context ({@link LogFields#USER_ID}) as soon as a user's token
 * authenticates a request, in every service that has this module: the request's log lines (its access-log
 * line included) then carry it, as event handling does ({@code EventIntake}). Quarkus keeps the MDC in the
 * request's own Vert.x context, so it ends with the request. Service tokens (subject {@code service:<name>})
 * and anonymous calls add nothing.
 */
@ApplicationScoped
public class CallerLogContext implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token
                && isUserId(token.getSubject())) {
            MDC.put(LogFields.USER_ID, token.getSubject());
        }
        return Uni.createFrom().item(identity);
    }

    private static boolean isUserId(String subject) {
        if (subject == null) {
            return false;
        }
        try {
            UUID.fromString(subject);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
