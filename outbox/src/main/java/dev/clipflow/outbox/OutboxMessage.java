package dev.clipflow.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event waiting to be relayed to Kafka. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(insertable = false, updatable = false)
    public Long seq;

    public String topic;

    @Column(name = "message_key")
    public String messageKey;

    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    /**
     * The W3C trace context of the transaction that published the event (null: none); a column
     * each service adds with its own migration ({@code V*__outbox_traceparent.sql}).
     */
    public String traceparent;

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboxMessage that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return OutboxMessage.class.hashCode();
    }
}
