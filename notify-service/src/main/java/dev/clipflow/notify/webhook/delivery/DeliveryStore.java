package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.WebhookDisabled;
import dev.clipflow.notify.config.NotifyConfig;
import dev.clipflow.notify.webhook.Attempt;
import dev.clipflow.notify.webhook.Delivery;
import dev.clipflow.notify.webhook.Endpoint;
import dev.clipflow.outbox.Outbox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dispatcher's transactions: claiming due deliveries (a lease, so a crashed sender's work is picked up
 * again and two replicas never send the same attempt at once), and recording each attempt's outcome with
 * what follows from it (next attempt with backoff, success, giving up, disabling a failing endpoint and
 * announcing it through the outbox).
 */
@ApplicationScoped
public class DeliveryStore {

    /** A claimed delivery with what sending it needs. */
    public record Claimed(UUID deliveryId, String messageId, String payload, int attempt, String url,
            List<String> secrets, boolean endpointEnabled) {
    }

    private final EntityManager em;
    private final Outbox outbox;
    private final NotifyConfig.Delivery config;

    public DeliveryStore(EntityManager em, Outbox outbox, NotifyConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.config = config.delivery();
    }

    /** Leases up to {@code limit} due deliveries; returns their ids. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<UUID> claimDue(int limit) {
        return em.createNativeQuery("""
                update webhook_delivery set next_attempt_at = ?1
                where id in (select id from webhook_delivery
                             where status = 'PENDING' and next_attempt_at <= ?2
                             order by next_attempt_at limit ?3 for update skip locked)
                returning id""", UUID.class)
                .setParameter(1, Instant.now().plus(config.lease()))
                .setParameter(2, Instant.now())
                .setParameter(3, limit)
                .getResultList();
    }

    /** What sending a claimed delivery needs; null when it is gone or no longer pending. */
    @Transactional
    public Claimed load(UUID deliveryId) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null || delivery.status != Delivery.Status.PENDING) {
            return null;
        }
        Endpoint endpoint = em.find(Endpoint.class, delivery.endpointId);
        if (endpoint == null) {
            return null;
        }
        return new Claimed(delivery.id, delivery.messageId, delivery.payload, delivery.attempts + 1, endpoint.url,
                endpoint.signingSecrets(Instant.now()), endpoint.enabled);
    }

    /** A delivery of a disabled endpoint: not sent, FAILED (the log says why; redelivery after enabling). */
    @Transactional
    public void skipDisabled(UUID deliveryId) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery != null && delivery.status == Delivery.Status.PENDING) {
            delivery.status = Delivery.Status.FAILED;
            delivery.completedAt = now();
        }
    }

    /** Records one attempt and decides what follows. */
    @Transactional
    public void record(UUID deliveryId, int attemptNumber, Instant attemptedAt, WebhookSender.Outcome outcome) {
        Delivery delivery = em.find(Delivery.class, deliveryId);
        if (delivery == null) {
            return; // the endpoint was deleted meanwhile
        }
        Attempt attempt = new Attempt();
        attempt.deliveryId = deliveryId;
        attempt.attempt = attemptNumber;
        attempt.attemptedAt = attemptedAt.truncatedTo(ChronoUnit.MICROS);
        attempt.statusCode = outcome.statusCode();
        attempt.latencyMs = outcome.latencyMs();
        attempt.responseExcerpt = outcome.responseExcerpt();
        attempt.error = outcome.error();
        em.persist(attempt);

        delivery.attempts = attemptNumber;
        Endpoint endpoint = em.find(Endpoint.class, delivery.endpointId);
        Instant now = now();
        if (outcome.succeeded()) {
            delivery.status = Delivery.Status.SUCCEEDED;
            delivery.completedAt = now;
            if (endpoint != null && endpoint.failingSince != null) {
                endpoint.failingSince = null;
            }
            return;
        }
        if (Duration.between(delivery.createdAt, now).compareTo(config.giveUpAfter()) >= 0) {
            delivery.status = Delivery.Status.FAILED;
            delivery.completedAt = now;
        } else {
            delivery.nextAttemptAt = now.plus(backoff(attemptNumber, config.initialBackoff(), config.maxBackoff()));
        }
        if (endpoint == null) {
            return;
        }
        if (endpoint.failingSince == null) {
            endpoint.failingSince = attempt.attemptedAt;
        }
        if (endpoint.enabled && Duration.between(endpoint.failingSince, now).compareTo(config.disableAfter()) >= 0) {
            String reason = "Deliveries have failed since " + endpoint.failingSince + "; the last one: "
                    + (outcome.statusCode() != null ? "HTTP " + outcome.statusCode() : outcome.error());
            endpoint.enabled = false;
            endpoint.disabledReason = reason;
            endpoint.updatedAt = now;
            if (endpoint.ownerId != null) {
                outbox.publish(Topics.WEBHOOK_DISABLED, endpoint.ownerId, new WebhookDisabled(endpoint.ownerId,
                        endpoint.id, endpoint.url, reason, endpoint.failingSince));
                Log.infof("Webhook endpoint %s of %s disabled: %s", endpoint.id, endpoint.ownerId, reason);
            } else {
                // a platform endpoint has no owner to mail: the operator's alerting reads this line
                Log.warnf("Platform webhook endpoint %s disabled: %s", endpoint.id, reason);
            }
        }
    }

    /**
     * Deletes up to {@code limit} finished deliveries (SUCCEEDED or FAILED) completed before {@code cutoff}, their
     * attempts with them (cascade); returns how many. Never a PENDING one (also not one being redelivered right
     * now: its row is locked and skipped, or already PENDING again).
     */
    @Transactional
    public int purgeFinishedBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("""
                delete from webhook_delivery
                where id in (select id from webhook_delivery
                             where status <> 'PENDING' and completed_at < ?1
                             order by completed_at limit ?2 for update skip locked)
                  and status <> 'PENDING'""")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }

    /**
     * The pause after attempt {@code n} failed: {@code initial * 2^(n-1)}, at most {@code max}, times a random
     * factor in [0.8, 1.2) so that receivers recovering from an outage are not hit by every sender at once.
     */
    static Duration backoff(int attempt, Duration initial, Duration max) {
        double base = initial.toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
        double capped = Math.min(base, max.toMillis());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
