package dev.clipflow.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.messaging.EventsConfig;
import dev.clipflow.messaging.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Publishes events as part of the caller's database transaction: the event is stored with the
 * change it describes and relayed to Kafka after commit, so a crash or a Kafka outage can delay an
 * event but never lose it, and a rolled-back change publishes nothing.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Event<OutboxRelay.Wakeup> wakeup;
    private final String source;

    public Outbox(EntityManager em, ObjectMapper json, Event<OutboxRelay.Wakeup> wakeup, EventsConfig config) {
        this.em = em;
        this.json = json;
        this.wakeup = wakeup;
        this.source = config.source();
    }

    /**
     * Adds an event to the current transaction (one is required): a new CloudEvent on {@code topic}
     * about {@code subject} (video id, or user id for user events; also the message key), stamped
     * now, with this service's source ({@code clipflow.events.source}). The current trace context
     * (the request's or the job's span) is stored with it and travels as the record's
     * {@code traceparent} header, so consumers continue the trace.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String topic, Object subject, Object data) {
        CloudEvent<Object> event = CloudEvent.of(topic, source, Objects.requireNonNull(subject, "subject").toString(), data);
        OutboxMessage message = new OutboxMessage();
        message.id = UUID.randomUUID();
        message.topic = topic;
        message.messageKey = event.subject();
        message.traceparent = TraceContext.current();
        try {
            message.payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event cannot be written as JSON", e);
        }
        Instant now = Instant.now();
        message.createdAt = now;
        message.nextAttemptAt = now;
        em.persist(message);
        wakeup.fire(new OutboxRelay.Wakeup());
    }
}
