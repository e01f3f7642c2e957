package dev.clipflow.outbox;

import dev.clipflow.contracts.events.CloudEvent;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends committed outbox rows to Kafka and deletes them once the broker acknowledged them
 * ({@code acks=all}, idempotent producer). Runs right after each committing transaction that
 * published, and every second as a safety net. Rows are claimed with {@code FOR UPDATE SKIP LOCKED},
 * so several replicas relay in parallel without sending a row twice in normal operation; after a
 * crash between send and delete a row is sent again, which consumers absorb through their inbox.
 * Within one process passes never overlap: {@link #relayAll()} waits for a pass in flight, and at
 * shutdown the producer is closed only after the pass in flight has finished.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Fired when a transaction added an outbox row. */
    public record Wakeup() {
    }

    private final EntityManager em;
    private final OutboxConfig config;
    private final Map<String, Object> kafkaConfig;
    /** Held by the one pass in flight (a SKIP LOCKED query would not see the rows it holds). */
    private final ReentrantLock pass = new ReentrantLock();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean stopped;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile KafkaProducer<String, String> producer;

    public OutboxRelay(EntityManager em, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.em = em;
        this.config = config;
        // the shared kafka.* settings (security, SASL, ...) that apply to a producer
        this.kafkaConfig = new HashMap<>();
        kafkaConfig.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                this.kafkaConfig.put(name, String.valueOf(value));
            }
        });
        this.kafkaConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Wakeup wakeup) {
        requested.set(true);
        worker.execute(this::relayQuietly);
    }

    @Scheduled(every = "${clipflow.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        relayQuietly();
    }

    /**
     * Relays until no due row is left, after the pass in flight (if any) has finished; returns how
     * many this call sent.
     */
    public int relayAll() {
        pass.lock();
        try {
            return drain();
        } finally {
            pass.unlock();
        }
    }

    private int drain() {
        int total = 0;
        int sent;
        do {
            sent = relayBatch();
            total += sent;
        } while (sent == config.batchSize());
        return total;
    }

    private void relayQuietly() {
        if (stopped || !pass.tryLock()) {
            return; // the pass in flight looks again when requested
        }
        try {
            do {
                requested.set(false);
                drain();
            } while (requested.get());
        } catch (RuntimeException e) {
            Log.warnf("Outbox relay pass failed: %s%s", e.getMessage(),
                    e.getCause() == null ? "" : " (" + e.getCause() + ")");
        } finally {
            pass.unlock();
        }
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
            List<Future<RecordMetadata>> sends = new ArrayList<>(due.size());
            for (OutboxMessage message : due) {
                ProducerRecord<String, String> record = new ProducerRecord<>(message.topic, message.messageKey,
                        message.payload);
                record.headers().add(new RecordHeader("content-type",
                        CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
                sends.add(producer().send(record));
            }
            int sent = 0;
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            for (int i = 0; i < due.size(); i++) {
                OutboxMessage message = due.get(i);
                try {
                    sends.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    em.remove(message);
                    sent++;
                } catch (Exception e) {
                    message.attempts++;
                    message.lastError = String.valueOf(e.getMessage());
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

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> props = new HashMap<>(kafkaConfig);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
                    // delivery.timeout must cover linger + request timeout
                    int delivery = (int) Math.max(2_000, config.sendTimeout().toMillis());
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery / 2);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
                    producer = new KafkaProducer<>(props);
                }
                current = producer;
            }
        }
        return current;
    }

    /**
     * Lets the pass in flight finish (its sends acknowledged or timed out), then closes the producer:
     * closing it under a pass would fail sends the broker may already have taken and leave their rows
     * for the next start.
     */
    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        worker.shutdown();
        boolean idle = false;
        try {
            idle = pass.tryLock(config.sendTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!idle) {
            Log.warn("Outbox: closing the producer under a pass that did not finish; its rows stay for the next start");
        }
        try {
            KafkaProducer<String, String> current = producer;
            if (current != null) {
                current.close(Duration.ofSeconds(5));
            }
        } finally {
            if (idle) {
                pass.unlock();
            }
        }
    }
}
