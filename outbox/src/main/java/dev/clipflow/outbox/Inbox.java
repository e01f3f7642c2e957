package dev.clipflow.outbox;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Makes a consumer idempotent: {@link #applyOnce} applies an event's effect in a new transaction
 * together with its inbox entry, and does nothing for an event id applied before, so a redelivered
 * or replayed event changes nothing. Entries are purged after {@code clipflow.outbox.inbox-retention}
 * (longer than the topics keep their records).
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;
    private final OutboxConfig config;

    public Inbox(EntityManager em, OutboxConfig config) {
        this.em = em;
        this.config = config;
    }

    /** Runs {@code effect} in a new transaction unless the event was applied before; true when it ran. */
    public boolean applyOnce(String topic, String eventId, Runnable effect) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!firstDelivery(topic, eventId)) {
                Log.debugf("Event %s on %s was applied before; skipped", eventId, topic);
                return false;
            }
            effect.run();
            return true;
        });
    }

    /**
     * Records the event id in the current transaction; false when the id was applied before (the
     * caller then changes nothing).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String topic, String eventId) {
        int inserted = em.createNativeQuery(
                "insert into inbox_event (event_id, topic) values (?1, ?2) on conflict (event_id) do nothing")
                .setParameter(1, eventId)
                .setParameter(2, topic)
                .executeUpdate();
        return inserted == 1;
    }

    /** Deletes the entries older than the retention; returns how many. */
    public int purge() {
        Instant before = Instant.now().minus(config.inboxRetention());
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "delete from inbox_event where processed_at < ?1")
                .setParameter(1, before)
                .executeUpdate());
    }

    @Scheduled(every = "${clipflow.outbox.inbox-purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledPurge() {
        try {
            int purged = purge();
            if (purged > 0) {
                Log.infof("Inbox: purged %d event ids older than %s", purged, config.inboxRetention());
            }
        } catch (RuntimeException e) {
            Log.warnf("Inbox purge failed: %s", e.getMessage());
        }
    }
}
