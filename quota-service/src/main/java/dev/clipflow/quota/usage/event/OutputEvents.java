package dev.clipflow.quota.usage.event;

import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoReplaced;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.quota.usage.service.QuotaService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What the pipeline stored or gave up for a video: {@code video.transcoded} charges an edit's result and
 * records the outputs beside each original, {@code video.stored} updates one of them written again (a new
 * thumbnail), {@code video.replaced} moves a video's charge from its old original to its new one,
 * {@code video.failed} releases an edit's reservation (see
 * {@link QuotaService}). Both effects are idempotent, so redeliveries are harmless; consumed through the
 * platform's one consumer path ({@link EventIntake}: an event that breaks its schema goes to
 * {@code <topic>.dlq} at once, an outage is retried).
 */
@ApplicationScoped
public class OutputEvents {

    private final QuotaService quotas;
    private final EventIntake intake;

    public OutputEvents(QuotaService quotas, EventIntake intake) {
        this.quotas = quotas;
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_TRANSCODED)
    @Blocking
    public void onTranscoded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoTranscoded.class, event -> quotas.videoTranscoded(event.data()));
    }

    @Incoming(Channels.VIDEO_STORED)
    @Blocking
    public void onStored(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoStored.class, event -> quotas.videoStored(event.data()));
    }

    @Incoming(Channels.VIDEO_REPLACED)
    @Blocking
    public void onReplaced(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoReplaced.class, event -> quotas.videoReplaced(event.id(), event.data()));
    }

    @Incoming(Channels.VIDEO_FAILED)
    @Blocking
    public void onFailed(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoFailed.class,
                event -> quotas.videoFailed(event.data().ownerId(), event.data().videoId()));
    }
}
