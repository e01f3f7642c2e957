package dev.clipflow.auth.token;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/**
 * Opaque refresh tokens, stored hashed and rotated on every use. A token that was already exchanged and is
 * presented again revokes its whole family (the session it belongs to), both for the thief and the owner.
 */
@ApplicationScoped
public class RefreshTokens {

    private final RefreshTokenRepository repository;
    private final AuthConfig config;

    public RefreshTokens(RefreshTokenRepository repository, AuthConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** A newly issued refresh token (the only time its value exists) and its owner. */
    public record Issued(String token, UUID userId, Instant expiresAt) {
    }

    /** Starts a new family for a sign-in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Issued start(UUID userId) {
        return issue(userId, UUID.randomUUID(), Instant.now());
    }

    /**
     * Exchanges a token for its successor. Unknown, expired or revoked: 401. Already used: the family is
     * revoked (committed despite the 401) and 401.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Issued rotate(String token) {
        Instant now = Instant.now();
        RefreshToken current = token == null || token.isBlank() ? null
                : repository.findByHashForUpdate(OpaqueTokens.hash(token)).orElse(null);
        if (current == null || current.revokedAt != null || !current.expiresAt.isAfter(now)) {
            throw invalid();
        }
        if (current.usedAt != null) {
            int revoked = repository.revokeFamily(current.familyId, now);
            Log.warnf("Refresh token of user %s reused: revoked family %s (%d tokens)", current.userId,
                    current.familyId, revoked);
            throw new ProblemException(401, "auth.refresh_token_reused", "Unauthorized",
                    "This refresh token was already used; the session is revoked. Please sign in again.");
        }
        current.usedAt = now;
        return issue(current.userId, current.familyId, now);
    }

    /** Revokes the session a token belongs to (logout); unknown tokens are ignored. */
    @Transactional
    public void revokeSession(String token) {
        if (token != null && !token.isBlank()) {
            repository.findByHash(OpaqueTokens.hash(token))
                    .ifPresent(t -> repository.revokeFamily(t.familyId, Instant.now()));
        }
    }

    /** Revokes every session of a user (password change, disable). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeAll(UUID userId) {
        repository.revokeAllOfUser(userId, Instant.now());
    }

    private Issued issue(UUID userId, UUID familyId, Instant now) {
        String value = OpaqueTokens.random();
        RefreshToken row = new RefreshToken();
        row.id = UUID.randomUUID();
        row.tokenHash = OpaqueTokens.hash(value);
        row.userId = userId;
        row.familyId = familyId;
        row.createdAt = now;
        row.expiresAt = now.plus(config.refreshTokenLifetime());
        repository.persist(row);
        return new Issued(value, userId, row.expiresAt);
    }

    private static ProblemException invalid() {
        return new ProblemException(401, "auth.invalid_refresh_token", "Unauthorized",
                "The refresh token is missing, unknown, expired or revoked. Please sign in again.");
    }
}
