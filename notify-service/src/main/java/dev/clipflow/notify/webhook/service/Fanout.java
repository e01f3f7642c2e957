package dev.clipflow.notify.webhook.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Turns one platform event into one pending delivery per enabled endpoint subscribed to its type, the owner's
 * and the platform endpoints (every user's events), in one transaction ({@code data.userId} names the user);
 * no HTTP here, so the event flow never waits for a receiver. The message id
 * ({@code webhook-id}) derives from the CloudEvent id and the type: a redelivered or replayed event finds
 * its deliveries already there (unique per endpoint and message) and creates nothing.
 */
@ApplicationScoped
public class Fanout {

    private final EntityManager em;
    private final ObjectMapper json;

    public Fanout(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** The Standard Webhooks message id of an event type derived from a CloudEvent. */
    public static String messageId(String cloudEventId, String type) {
        return "msg_" + UUID.nameUUIDFromBytes((cloudEventId + "|" + type).getBytes(StandardCharsets.UTF_8));
    }

    /** Queues {@code type} with {@code data} for the owner's endpoints; returns how many deliveries were created. */
    public int publish(UUID ownerId, String type, String cloudEventId, Instant occurredAt, Object data) {
        String messageId = messageId(cloudEventId, type);
        ObjectNode payload = json.createObjectNode();
        payload.put("type", type);
        payload.put("timestamp", (occurredAt == null ? Instant.now() : occurredAt).toString());
        JsonNode tree = json.valueToTree(data);
        if (ownerId != null && tree instanceof ObjectNode fields && !fields.has("userId")) {
            fields.put("userId", ownerId.toString()); // platform endpoints receive every user's events
        }
        payload.set("data", tree);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Payload cannot be written as JSON", e);
        }
        int created = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> endpoints = em.createNativeQuery("""
                    select id from webhook_endpoint
                    where (owner_id = ?1 or owner_id is null) and enabled
                      and (',' || event_types || ',') like ?2""", UUID.class)
                    .setParameter(1, ownerId)
                    .setParameter(2, "%," + type + ",%")
                    .getResultList();
            int inserted = 0;
            Instant now = Instant.now();
            for (UUID endpoint : endpoints) {
                inserted += em.createNativeQuery("""
                        insert into webhook_delivery (id, endpoint_id, message_id, event_type, payload, status, attempts,
                            next_attempt_at, created_at)
                        values (?1, ?2, ?3, ?4, ?5, 'PENDING', 0, ?6, ?6)
                        on conflict (endpoint_id, message_id) do nothing""")
                        .setParameter(1, UUID.randomUUID())
                        .setParameter(2, endpoint)
                        .setParameter(3, messageId)
                        .setParameter(4, type)
                        .setParameter(5, body)
                        .setParameter(6, now)
                        .executeUpdate();
            }
            return inserted;
        });
        if (created > 0) {
            Log.debugf("%s %s for %s: %d deliveries queued", type, messageId, ownerId, created);
        }
        return created;
    }
}
