package dev.clipflow.notify.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One HTTP attempt of a delivery, as the delivery log shows it. */
@Entity
@Table(name = "webhook_attempt")
public class Attempt {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "delivery_id")
    public UUID deliveryId;

    public int attempt;

    @Column(name = "attempted_at")
    public Instant attemptedAt;

    /** The endpoint's HTTP status; null when no response came (refused target, timeout, connection error). */
    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "latency_ms")
    public long latencyMs;

    @Column(name = "response_excerpt")
    public String responseExcerpt;

    public String error;

    @Override
    public boolean equals(Object other) {
        return other instanceof Attempt that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Attempt.class.hashCode();
    }
}
