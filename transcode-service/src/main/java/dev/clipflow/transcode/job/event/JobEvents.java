package dev.clipflow.transcode.job.event;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.transcode.job.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * The events transcode-service produces, all through the transactional outbox (written with the
 * job change they describe; keyed by video id).
 */
@ApplicationScoped
public class JobEvents {


    private final Outbox outbox;

    public JobEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void progress(Job job) {
        progress(job, null);
    }

    /** @param etaSeconds the worker's estimate of the seconds left, or null */
    @Transactional(Transactional.TxType.MANDATORY)
    public void progress(Job job, Integer etaSeconds) {
        publish(Topics.TRANSCODE_PROGRESS, job, new TranscodeProgress(job.id, job.videoId, job.ownerId,
                job.status.name(), job.progress, etaSeconds));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void renditionReady(Job job, VideoRenditionReady ready) {
        publish(Topics.VIDEO_RENDITION_READY, job, ready);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void transcoded(Job job, VideoTranscoded result) {
        publish(Topics.VIDEO_TRANSCODED, job, result);
    }

    /** A blob of the job's video was written again with {@code bytes} (a THUMBNAIL job's frame). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stored(Job job, String kind, long bytes) {
        publish(Topics.VIDEO_STORED, job, new VideoStored(job.videoId, job.ownerId, kind, bytes, Instant.now()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(Job job, String reason) {
        String text = reason == null || reason.isBlank() ? "The video could not be processed." : reason;
        publish(Topics.VIDEO_FAILED, job, new VideoFailed(job.id, job.videoId, job.ownerId, job.type.name(),
                text.length() > 2000 ? text.substring(0, 2000) : text));
    }

    private void publish(String topic, Job job, Object data) {
        outbox.publish(topic, job.videoId, data);
    }
}
