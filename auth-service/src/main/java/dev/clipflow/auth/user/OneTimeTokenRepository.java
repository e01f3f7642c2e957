package dev.clipflow.auth.user;

import dev.clipflow.auth.token.OpaqueTokens;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class OneTimeTokenRepository implements PanacheRepositoryBase<OneTimeToken, String> {

    /** Issues a token; earlier unused tokens of the same purpose stop working. Returns the token value. */
    public String issue(UUID userId, OneTimeToken.Purpose purpose, Duration lifetime) {
        Instant now = Instant.now();
        update("usedAt = ?1 where userId = ?2 and purpose = ?3 and usedAt is null", now, userId, purpose);
        String value = OpaqueTokens.random();
        OneTimeToken token = new OneTimeToken();
        token.tokenHash = OpaqueTokens.hash(value);
        token.userId = userId;
        token.purpose = purpose;
        token.createdAt = now;
        token.expiresAt = now.plus(lifetime);
        persist(token);
        return value;
    }

    /** Marks a token used and returns its user; unknown, used or foreign-purpose: 400; expired: 400 expired. */
    public UUID consume(String value, OneTimeToken.Purpose purpose) {
        OneTimeToken token = value == null ? null
                : findByIdOptional(OpaqueTokens.hash(value), LockModeType.PESSIMISTIC_WRITE).orElse(null);
        if (token == null || token.purpose != purpose || token.usedAt != null) {
            throw new ProblemException(400, "auth.token_invalid", "Bad Request",
                    "The link is invalid or was already used.");
        }
        Instant now = Instant.now();
        if (!token.expiresAt.isAfter(now)) {
            throw new ProblemException(400, "auth.token_expired", "Bad Request",
                    "The link has expired; please request a new one.");
        }
        token.usedAt = now;
        return token.userId;
    }

    public long purge(Instant now) {
        return delete("expiresAt < ?1 or usedAt < ?1", now.minus(Duration.ofDays(1)));
    }
}
