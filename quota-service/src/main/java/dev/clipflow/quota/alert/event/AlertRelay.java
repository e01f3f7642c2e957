package dev.clipflow.quota.alert.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.messaging.EventSender;
import dev.clipflow.messaging.EventsConfig;
import dev.clipflow.messaging.OutgoingRecord;
import dev.clipflow.messaging.RelayLoop;
import dev.clipflow.quota.alert.service.AlertNotifier;
import dev.clipflow.quota.usage.QuotaRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.quota.usage.QuotaRepository.PENDING_ALERTS;

/**
 * Sends the alerts waiting in the users' {@code pendingAlerts} arrays to {@code quota.alerts} through
 * the service's {@link EventSender} (the sending path the outbox relay uses too) and removes each
 * entry only after Kafka acknowledged it. Runs right after an alert was recorded and on a timer as
 * the safety net (broker down, crash); at shutdown the producer closes only after the pass in flight.
 * The CloudEvent id is the alert's id, so a resend after a crash between ack and removal is a
 * duplicate consumers drop.
 */
@Singleton
public class AlertRelay implements AlertNotifier {

    private static final int BATCH = 100;

    private final QuotaRepository repository;
    private final EventSender sender;
    private final String source;
    private final RelayLoop loop;

    public AlertRelay(QuotaRepository repository, EventSender sender, EventsConfig events) {
        this.repository = repository;
        this.sender = sender;
        this.source = events.source();
        this.loop = sender.loop("quota-alert-relay", BATCH, this::relayBatch);
    }

    @Override
    public void alertsPending() {
        loop.wake();
    }

    @Scheduled(every = "${clipflow.quota.alert-relay-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        loop.tick();
    }

    /** Sends every pending alert, after the pass in flight (if any); returns how many Kafka acknowledged. */
    public int relayAll() {
        return loop.drainNow();
    }

    private int relayBatch() {
        List<Document> docs = repository.quotas()
                .find(new Document(PENDING_ALERTS + ".id", new Document("$exists", true)))
                .projection(new Document(PENDING_ALERTS, 1))
                .limit(BATCH)
                .into(new ArrayList<>());
        record Pending(String userId, String alertId) {
        }
        List<Pending> pending = new ArrayList<>();
        List<OutgoingRecord> records = new ArrayList<>();
        for (Document doc : docs) {
            String userId = doc.getString("_id");
            for (Document alert : doc.getList(PENDING_ALERTS, Document.class)) {
                pending.add(new Pending(userId, alert.getString("id")));
                records.add(record(userId, alert));
            }
        }
        if (records.isEmpty()) {
            return 0;
        }
        List<Exception> outcome = sender.sendAll(records);
        int sent = 0;
        for (int i = 0; i < pending.size(); i++) {
            Pending alert = pending.get(i);
            if (outcome.get(i) != null) {
                Log.warnf("Alert %s not acknowledged by Kafka, will retry: %s", alert.alertId(), outcome.get(i).getMessage());
                continue;
            }
            repository.quotas().updateOne(new Document("_id", alert.userId()),
                    new Document("$pull", new Document(PENDING_ALERTS, new Document("id", alert.alertId()))));
            sent++;
        }
        return sent;
    }

    private OutgoingRecord record(String userId, Document alert) {
        QuotaAlert data = new QuotaAlert(UUID.fromString(userId), alert.getString("resource"),
                alert.getInteger("threshold"), QuotaRepository.longOf(alert, "usedBytes"),
                QuotaRepository.longOf(alert, "limitBytes"), ((Number) alert.get("percentUsed")).doubleValue());
        CloudEvent<QuotaAlert> event = new CloudEvent<>(CloudEvent.SPEC_VERSION, alert.getString("id"), source,
                Topics.eventType(Topics.QUOTA_ALERTS), userId, alert.getDate("at").toInstant(), CloudEvent.JSON, data);
        try {
            return OutgoingRecord.cloudEvent(Topics.QUOTA_ALERTS, userId, EventJson.mapper().writeValueAsString(event),
                    alert.getString("traceparent"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
