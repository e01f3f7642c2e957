package dev.clipflow.auth.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A single-use, expiring token sent by e-mail; only its SHA-256 is stored. */
@Entity
@Table(name = "one_time_token")
public class OneTimeToken {

    public enum Purpose { ACTIVATION, PASSWORD_RESET }

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "user_id")
    public UUID userId;

    @Enumerated(EnumType.STRING)
    public Purpose purpose;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof OneTimeToken that && tokenHash != null && tokenHash.equals(that.tokenHash);
    }

    @Override
    public int hashCode() {
        return OneTimeToken.class.hashCode();
    }
}
