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
import dev.clipflow.quota.account.PendingAlert;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.alert.service.AlertNotifier;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Sends the alerts waiting in the users' pending alerts to {@code quota.alerts} through
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
        List<PendingAlert> pending = repository.pendingAlerts(BATCH);
        if (pending.isEmpty()) {
            return 0;
        }
        List<Exception> outcome = sender.sendAll(pending.stream().map(this::record).toList());
        int sent = 0;
        for (int i = 0; i < pending.size(); i++) {
            PendingAlert alert = pending.get(i);
            if (outcome.get(i) != null) {
                Log.warnf("Alert %s not acknowledged by Kafka, will retry: %s", alert.id(), outcome.get(i).getMessage());
                continue;
            }
            repository.pullAlert(alert.userId(), alert.id());
            sent++;
        }
        return sent;
    }

    private OutgoingRecord record(PendingAlert alert) {
        String userId = alert.userId().toString();
        QuotaAlert data = new QuotaAlert(alert.userId(), alert.resource(), alert.threshold(), alert.usedBytes(),
                alert.limitBytes(), alert.percentUsed());
        CloudEvent<QuotaAlert> event = new CloudEvent<>(CloudEvent.SPEC_VERSION, alert.id().toString(), source,
                Topics.eventType(Topics.QUOTA_ALERTS), userId, alert.at(), CloudEvent.JSON, data);
        try {
            return OutgoingRecord.cloudEvent(Topics.QUOTA_ALERTS, userId, EventJson.mapper().writeValueAsString(event),
                    alert.traceparent());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
