package dev.clipflow.notify.webhook.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.notify.webhook.Attempt;
import dev.clipflow.notify.webhook.Delivery;
import dev.clipflow.notify.webhook.Endpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** An endpoint's delivery log (newest first, each delivery with its attempts) and manual redelivery. */
@ApplicationScoped
public class DeliveryLog {

    /** One HTTP attempt: the endpoint's status (null: no answer), how long it took, what it said. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int attempt, Instant attemptedAt, Integer statusCode, long latencyMs,
            String responseExcerpt, String error) {
    }

    /** One event for the endpoint: PENDING (nextAttemptAt), SUCCEEDED or FAILED, with every attempt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(UUID id, String messageId, String eventType, String status, int attempts,
            Instant createdAt, Instant nextAttemptAt, Instant completedAt, String payload,
            List<AttemptView> attemptLog) {
    }

    private final EntityManager em;
    private final Endpoints endpoints;

    public DeliveryLog(EntityManager em, Endpoints endpoints) {
        this.em = em;
        this.endpoints = endpoints;
    }

    @Transactional
    public Page<DeliveryView> list(Caller caller, UUID endpointId, int page, int size) {
        Endpoint endpoint = endpoints.find(caller, endpointId);
        List<Delivery> deliveries = em.createQuery(
                        "select d from Delivery d where d.endpointId = ?1 order by d.createdAt desc, d.id", Delivery.class)
                .setParameter(1, endpoint.id)
                .setFirstResult(page * size).setMaxResults(size).getResultList();
        long total = em.createQuery("select count(d) from Delivery d where d.endpointId = ?1", Long.class)
                .setParameter(1, endpoint.id).getSingleResult();
        Map<UUID, List<AttemptView>> attempts = deliveries.isEmpty() ? Map.of() : em.createQuery(
                        "select a from Attempt a where a.deliveryId in ?1 order by a.attempt", Attempt.class)
                .setParameter(1, deliveries.stream().map(d -> d.id).toList())
                .getResultList().stream()
                .collect(Collectors.groupingBy(a -> a.deliveryId, Collectors.mapping(DeliveryLog::view,
                        Collectors.toList())));
        return new Page<>(deliveries.stream().map(d -> view(d, attempts.getOrDefault(d.id, List.of()))).toList(),
                page, size, total);
    }

    /** Sends a delivery again now (whatever its state), with the same webhook-id; the log keeps counting. */
    @Transactional
    public DeliveryView redeliver(Caller caller, UUID endpointId, UUID deliveryId) {
        Endpoint endpoint = endpoints.find(caller, endpointId);
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null || !delivery.endpointId.equals(endpoint.id)) {
            throw new ProblemException(404, "webhook.delivery_not_found", "Not Found", "No such delivery.");
        }
        if (!endpoint.enabled) {
            throw new ProblemException(409, "webhook.endpoint_disabled", "Conflict",
                    "The endpoint is disabled; enable it (PUT with \"enabled\": true) before redelivering.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        delivery.status = Delivery.Status.PENDING;
        delivery.nextAttemptAt = now;
        delivery.completedAt = null;
        return view(delivery, List.of());
    }

    private static AttemptView view(Attempt a) {
        return new AttemptView(a.attempt, a.attemptedAt, a.statusCode, a.latencyMs, a.responseExcerpt, a.error);
    }

    private static DeliveryView view(Delivery d, List<AttemptView> attempts) {
        return new DeliveryView(d.id, d.messageId, d.eventType, d.status.name(), d.attempts, d.createdAt,
                d.status == Delivery.Status.PENDING ? d.nextAttemptAt : null, d.completedAt, d.payload, attempts);
    }
}
