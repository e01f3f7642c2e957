package dev.clipflow.quota.usage.event;

import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.quota.usage.service.QuotaService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code video.deleted}, {@code user.deleted} and {@code usage.bandwidth} through the
 * platform's one consumer path ({@link EventIntake}: invalid events to {@code <topic>.dlq} at once,
 * a MongoDB outage retried until it is over, never dead-lettered). Effects are idempotent by
 * CloudEvent id (see {@link QuotaService}).
 */
@ApplicationScoped
public class QuotaEventConsumers {

    private final QuotaService quotas;
    private final EventIntake intake;

    public QuotaEventConsumers(QuotaService quotas, EventIntake intake) {
        this.quotas = quotas;
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_DELETED)
    @Blocking
    public void onVideoDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoDeleted.class,
                event -> quotas.videoDeleted(event.id(), event.data().ownerId(), event.data().videoId(),
                        event.data().chargeTo()));
    }

    @Incoming(Channels.USER_DELETED)
    @Blocking
    public void onUserDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UserDeleted.class, event -> quotas.userDeleted(event.data().userId()));
    }

    @Incoming(Channels.USAGE_BANDWIDTH)
    @Blocking
    public void onBandwidth(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UsageBandwidth.class,
                event -> quotas.recordBandwidth(event.id(), event.data().ownerId(), event.data().bytes()));
    }
}
