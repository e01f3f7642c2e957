package dev.clipflow.auth.alert.event;

import dev.clipflow.auth.alert.service.AlertMails;
import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.WebhookDisabled;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code quota.alerts} (from quota-service) and {@code webhook.disabled} (from notify-service)
 * through the platform's one consumer path and e-mails the user: auth-service owns the users and their
 * addresses. Idempotent by CloudEvent id ({@link AlertMails}).
 */
@ApplicationScoped
public class AlertMailConsumers {

    private final AlertMails mails;
    private final EventIntake intake;

    public AlertMailConsumers(AlertMails mails, EventIntake intake) {
        this.mails = mails;
        this.intake = intake;
    }

    @Incoming(Channels.QUOTA_ALERTS)
    @Blocking
    public void onQuotaAlert(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, QuotaAlert.class, event -> mails.quotaAlert(event.topic(), event.id(), event.data()));
    }

    @Incoming(Channels.WEBHOOK_DISABLED)
    @Blocking
    public void onWebhookDisabled(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, WebhookDisabled.class,
                event -> mails.webhookDisabled(event.topic(), event.id(), event.data()));
    }
}
