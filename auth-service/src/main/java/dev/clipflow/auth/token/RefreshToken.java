package dev.clipflow.auth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One refresh token of a family (a sign-in session); the token itself is never stored. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken {

    @Id
    public UUID id;

    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "family_id")
    public UUID familyId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When it was exchanged for its successor; presenting it again means it leaked. */
    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof RefreshToken that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return RefreshToken.class.hashCode();
    }
}
