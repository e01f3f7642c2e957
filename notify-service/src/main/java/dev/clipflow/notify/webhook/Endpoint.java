package dev.clipflow.notify.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A webhook endpoint: where one user's events of the chosen types are POSTed, signed with its secret. */
@Entity
@Table(name = "webhook_endpoint")
public class Endpoint {

    @Id
    public UUID id;

    /** The user whose events it receives; null for a platform endpoint (admins': every user's events). */
    @Column(name = "owner_id")
    public UUID ownerId;

    public String url;

    /** The subscribed event types, comma-separated. */
    @Column(name = "event_types")
    public String eventTypes;

    public String description;

    public boolean enabled = true;

    public String secret;

    /** The secret before the last rotation; it signs too until {@link #previousSecretExpiresAt}. */
    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    /** When the first of the failures in a row happened; null while deliveries succeed. */
    @Column(name = "failing_since")
    public Instant failingSince;

    /** Why the platform disabled it (null: enabled, or disabled by the user). */
    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /** A platform endpoint: registered by an admin, it receives the events of every user. */
    public boolean allUsers() {
        return ownerId == null;
    }

    public List<String> eventTypeList() {
        return Arrays.stream(eventTypes.split(",")).filter(t -> !t.isBlank()).toList();
    }

    /** The secrets that sign a message sent at {@code now}: the current one, plus the previous one in its grace. */
    public List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Endpoint that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Endpoint.class.hashCode();
    }
}
