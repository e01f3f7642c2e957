package dev.clipflow.transcode.job.event;

import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventHandler;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.outbox.Inbox;
import dev.clipflow.transcode.job.service.JobService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.function.Consumer;

/**
 * The topics transcode-service consumes, through the platform's one consumer path
 * ({@link EventIntake}: an invalid event goes to {@code <topic>.dlq} with the reason and consumption
 * goes on; a database outage is retried until it is over, never dead-lettered). Each event is applied
 * once per CloudEvent id (inbox, same transaction as the change) and only then acknowledged.
 */
@ApplicationScoped
public class JobEventConsumer {

    private final JobService jobs;
    private final Inbox inbox;
    private final EventIntake intake;

    public JobEventConsumer(JobService jobs, Inbox inbox, EventIntake intake) {
        this.jobs = jobs;
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_UPLOADED)
    @Blocking
    public void videoUploaded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoUploaded.class, once(jobs::queueUpload));
    }

    @Incoming(Channels.TRANSCODE_REQUESTS)
    @Blocking
    public void transcodeRequest(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, TranscodeRequest.class, once(jobs::queueRequest));
    }

    @Incoming(Channels.VIDEO_DELETED)
    @Blocking
    public void videoDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoDeleted.class, once(deleted -> jobs.cancelVideo(deleted.videoId(),
                deleted.chargeTo() == null)));
    }

    @Incoming(Channels.USER_DELETED)
    @Blocking
    public void userDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UserDeleted.class, once(deleted -> jobs.cancelOwner(deleted.userId())));
    }

    private <T> EventHandler<T> once(Consumer<T> action) {
        return event -> inbox.applyOnce(event.topic(), event.id(), () -> action.accept(event.data()));
    }
}
