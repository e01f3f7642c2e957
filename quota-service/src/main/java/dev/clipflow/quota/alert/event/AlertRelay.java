package dev.clipflow.quota.alert.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.quota.alert.service.AlertNotifier;
import dev.clipflow.quota.config.QuotaConfig;
import dev.clipflow.quota.usage.QuotaRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.clipflow.quota.usage.QuotaRepository.PENDING_ALERTS;

/**
 * Sends the alerts waiting in the users' {@code pendingAlerts} arrays to {@code quota.alerts}
 * ({@code acks=all}, idempotent producer) and removes each entry only after Kafka acknowledged it.
 * Runs right after an alert was recorded and on a timer as the safety net (broker down, crash).
 * The CloudEvent id is the alert's id, so a resend after a crash between ack and removal is a
 * duplicate consumers drop.
 */
@Singleton
public class AlertRelay implements AlertNotifier {

    static final String SOURCE = "/clipflow/quota-service";
    private static final int BATCH = 100;

    private final QuotaRepository repository;
    private final QuotaConfig config;
    private final Map<String, Object> kafkaConfig;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "quota-alert-relay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile KafkaProducer<String, String> producer;

    public AlertRelay(QuotaRepository repository, QuotaConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.repository = repository;
        this.config = config;
        this.kafkaConfig = new HashMap<>(kafkaConfig);
        this.kafkaConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    @Override
    public void alertsPending() {
        requested.set(true);
        worker.execute(this::relayQuietly);
    }

    @Scheduled(every = "${clipflow.quota.alert-relay-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        relayQuietly();
    }

    private void relayQuietly() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            do {
                requested.set(false);
                relayAll();
            } while (requested.get());
        } catch (RuntimeException e) {
            Log.warnf("Alert relay pass failed: %s", e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /** Sends every pending alert; returns how many Kafka acknowledged. */
    public int relayAll() {
        List<Document> docs = repository.quotas()
                .find(new Document(PENDING_ALERTS + ".id", new Document("$exists", true)))
                .projection(new Document(PENDING_ALERTS, 1))
                .limit(BATCH)
                .into(new ArrayList<>());
        record Sending(String userId, String alertId, Future<RecordMetadata> ack) {
        }
        List<Sending> sends = new ArrayList<>();
        for (Document doc : docs) {
            String userId = doc.getString("_id");
            for (Document alert : doc.getList(PENDING_ALERTS, Document.class)) {
                sends.add(new Sending(userId, alert.getString("id"), producer().send(record(userId, alert))));
            }
        }
        int sent = 0;
        long deadline = System.nanoTime() + config.alertSendTimeout().toNanos();
        for (Sending sending : sends) {
            try {
                sending.ack().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                repository.quotas().updateOne(new Document("_id", sending.userId()),
                        new Document("$pull", new Document(PENDING_ALERTS, new Document("id", sending.alertId()))));
                sent++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return sent;
            } catch (Exception e) {
                Log.warnf("Alert %s not acknowledged by Kafka, will retry: %s", sending.alertId(), e.getMessage());
            }
        }
        return sent;
    }

    private ProducerRecord<String, String> record(String userId, Document alert) {
        QuotaAlert data = new QuotaAlert(UUID.fromString(userId), alert.getString("resource"),
                alert.getInteger("threshold"), QuotaRepository.longOf(alert, "usedBytes"),
                QuotaRepository.longOf(alert, "limitBytes"), ((Number) alert.get("percentUsed")).doubleValue());
        CloudEvent<QuotaAlert> event = new CloudEvent<>(CloudEvent.SPEC_VERSION, alert.getString("id"), SOURCE,
                Topics.eventType(Topics.QUOTA_ALERTS), userId, alert.getDate("at").toInstant(), CloudEvent.JSON, data);
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.QUOTA_ALERTS, userId,
                    EventJson.mapper().writeValueAsString(event));
            record.headers().add(new RecordHeader("content-type",
                    CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
            return record;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> props = new HashMap<>(kafkaConfig);
                    int timeout = (int) config.alertSendTimeout().toMillis();
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 5_000));
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "quota-alert-relay");
                    producer = new KafkaProducer<>(props);
                }
                current = producer;
            }
        }
        return current;
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdown();
        KafkaProducer<String, String> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
