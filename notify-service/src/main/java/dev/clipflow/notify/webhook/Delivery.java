package dev.clipflow.notify.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event for one endpoint: sent until the endpoint answers 2xx or the delivery is given up. */
@Entity
@Table(name = "webhook_delivery")
public class Delivery {

    public enum Status { PENDING, SUCCEEDED, FAILED }

    @Id
    public UUID id;

    @Column(name = "endpoint_id")
    public UUID endpointId;

    /** The {@code webhook-id} header: the same on every attempt, so receivers deduplicate on it. */
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "event_type")
    public String eventType;

    /** The exact body sent (and signed). */
    public String payload;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof Delivery that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Delivery.class.hashCode();
    }
}
