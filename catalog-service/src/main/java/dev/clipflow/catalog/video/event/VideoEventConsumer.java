package dev.clipflow.catalog.video.event;

import dev.clipflow.catalog.video.service.VideoLifecycle;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventHandler;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.outbox.Inbox;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.function.Consumer;

/**
 * Consumes the pipeline's events through the platform's one consumer path ({@link EventIntake}:
 * schema-checked, invalid ones to {@code <topic>.dlq} at once, a database outage retried until it is
 * over). Each event is applied in one transaction together with its inbox entry, so a redelivered
 * or replayed event changes nothing; a lost race with another channel creating the same row is an
 * ordinary failure and retried.
 */
@ApplicationScoped
public class VideoEventConsumer {

    private final VideoLifecycle lifecycle;
    private final VideoService videos;
    private final Inbox inbox;
    private final EventIntake intake;

    public VideoEventConsumer(VideoLifecycle lifecycle, VideoService videos, Inbox inbox, EventIntake intake) {
        this.lifecycle = lifecycle;
        this.videos = videos;
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_UPLOADED)
    @Blocking
    public void onUploaded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoUploaded.class, once(lifecycle::uploaded));
    }

    @Incoming(Channels.TRANSCODE_PROGRESS)
    @Blocking
    public void onProgress(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, TranscodeProgress.class, once(lifecycle::progress));
    }

    @Incoming(Channels.VIDEO_TRANSCODED)
    @Blocking
    public void onTranscoded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoTranscoded.class, once(lifecycle::transcoded));
    }

    @Incoming(Channels.VIDEO_RENDITION_READY)
    @Blocking
    public void onRenditionReady(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoRenditionReady.class, once(lifecycle::renditionReady));
    }

    @Incoming(Channels.VIDEO_FAILED)
    @Blocking
    public void onFailed(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoFailed.class, once(lifecycle::failed));
    }

    /**
     * Deletes in batches of their own transactions (a user may own thousands of videos), so a retry
     * after a failure part-way continues with what is left; the inbox entry is written at the end.
     */
    @Incoming(Channels.USER_DELETED)
    @Blocking
    public void onUserDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UserDeleted.class, event -> {
            int deleted = videos.deleteUser(event.data().userId(), event.data().deletedBy());
            inbox.applyOnce(event.topic(), event.id(), () -> { });
            Log.infof("user.deleted %s: removed %d videos", event.data().userId(), deleted);
        });
    }

    private <T> EventHandler<T> once(Consumer<T> action) {
        return event -> inbox.applyOnce(event.topic(), event.id(), () -> action.accept(event.data()));
    }
}
