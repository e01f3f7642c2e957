package dev.clipflow.outbox;

import dev.clipflow.messaging.EventSender;
import dev.clipflow.messaging.OutgoingRecord;
import dev.clipflow.messaging.RelayLoop;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends committed outbox rows to Kafka through the service's {@link EventSender} and deletes them
 * once the broker acknowledged them. Runs right after each committing transaction that published,
 * and every second as a safety net. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * replicas relay in parallel without sending a row twice in normal operation; after a crash between
 * send and delete a row is sent again, which consumers absorb through their inbox. Passes never
 * overlap within a process ({@link RelayLoop}); at shutdown the producer closes only after the pass
 * in flight has finished.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Fired when a transaction added an outbox row. */
    public record Wakeup() {
    }

    private final EntityManager em;
    private final OutboxConfig config;
    private final EventSender sender;
    private final RelayLoop loop;

    public OutboxRelay(EntityManager em, OutboxConfig config, EventSender sender) {
        this.em = em;
        this.config = config;
        this.sender = sender;
        this.loop = sender.loop("outbox-relay", config.batchSize(), this::relayBatch);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Wakeup wakeup) {
        loop.wake();
    }

    @Scheduled(every = "${clipflow.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        loop.tick();
    }

    /**
     * Relays until no due row is left, after the pass in flight (if any) has finished; returns how
     * many this call sent.
     */
    public int relayAll() {
        return loop.drainNow();
    }

    @SuppressWarnings("unchecked")
    private int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OutboxMessage> due = em.createNativeQuery("""
                    select * from outbox_message where next_attempt_at <= now()
                    order by seq limit :limit for update skip locked""", OutboxMessage.class)
                    .setParameter("limit", config.batchSize())
                    .getResultList();
            if (due.isEmpty()) {
                return 0;
            }
            List<Exception> outcome = sender.sendAll(due.stream()
                    .map(message -> OutgoingRecord.cloudEvent(message.topic, message.messageKey, message.payload,
                            message.traceparent))
                    .toList());
            int sent = 0;
            for (int i = 0; i < due.size(); i++) {
                OutboxMessage message = due.get(i);
                Exception failure = outcome.get(i);
                if (failure == null) {
                    em.remove(message);
                    sent++;
                } else {
                    message.attempts++;
                    message.lastError = String.valueOf(failure.getMessage());
                    if (message.lastError.length() > 2000) {
                        message.lastError = message.lastError.substring(0, 2000);
                    }
                    message.nextAttemptAt = Instant.now().plus(backoff(message.attempts));
                }
            }
            if (sent < due.size()) {
                Log.warnf("Outbox: %d of %d events not acknowledged by Kafka; will retry", due.size() - sent, due.size());
            }
            return sent;
        });
    }

    private Duration backoff(int attempts) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 16));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }
}
