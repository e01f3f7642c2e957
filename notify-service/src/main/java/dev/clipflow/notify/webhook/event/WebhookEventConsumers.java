package dev.clipflow.notify.webhook.event;

import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoReplaced;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.notify.webhook.EventTypes;
import dev.clipflow.notify.webhook.service.Endpoints;
import dev.clipflow.notify.webhook.service.Fanout;
import dev.clipflow.notify.webhook.service.ReplacementMedia;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Consumes the platform's events through the one consumer path ({@link EventIntake}) and queues the webhook
 * deliveries they mean ({@link Fanout}: idempotent by CloudEvent id). The payload of each type is written
 * here, the only place that knows both sides; docs/api.md shows them. The events of a replacement upload's media id
 * ({@link ReplacementMedia}) are about the video it replaces: {@code upload.completed} and {@code job.*} name that
 * video (and the media id), its failure is {@code video.replace_failed}, its success the {@code video.replaced} that
 * catalog-service publishes at the switch; no {@code video.ready}, {@code video.rendition_ready} or
 * {@code video.deleted} (a cancelled replace) names the media id.
 */
@ApplicationScoped
public class WebhookEventConsumers {

    private final Fanout fanout;
    private final Endpoints endpoints;
    private final EventIntake intake;
    private final ReplacementMedia replacements;

    public WebhookEventConsumers(Fanout fanout, Endpoints endpoints, EventIntake intake,
            ReplacementMedia replacements) {
        this.fanout = fanout;
        this.endpoints = endpoints;
        this.intake = intake;
        this.replacements = replacements;
    }

    /** A deleted user's endpoints (and their delivery logs) go with them (idempotent: deleting nothing twice). */
    @Incoming(Channels.USER_DELETED)
    @Blocking
    public void onUserDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UserDeleted.class, event -> endpoints.deleteAllOf(event.data().userId()));
    }

    @Incoming(Channels.VIDEO_UPLOADED)
    @Blocking
    public void onUploaded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoUploaded.class, event -> {
            VideoUploaded v = event.data();
            Map<String, Object> data = new LinkedHashMap<>();
            if (v.replaces() != null) {
                replacements.remember(v.videoId(), v.replaces());
                data.put("videoId", v.replaces());
                data.put("mediaId", v.videoId());
                data.put("replace", true);
            } else {
                data.put("videoId", v.videoId());
            }
            data.put("uploadId", v.uploadId());
            data.put("fileName", v.fileName());
            data.put("sizeBytes", v.sizeBytes());
            data.put("title", v.title());
            fanout.publish(v.ownerId(), EventTypes.UPLOAD_COMPLETED, event.id(), event.time(), data);
        });
    }

    @Incoming(Channels.VIDEO_TRANSCODED)
    @Blocking
    public void onTranscoded(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoTranscoded.class, event -> {
            VideoTranscoded v = event.data();
            if (replacements.videoOf(v.videoId()).isPresent()) {
                return; // a replacement's media: video.replaced tells when the video switched to it
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("videoId", v.videoId());
            data.put("jobId", v.jobId());
            data.put("durationSeconds", v.durationSeconds());
            data.put("width", v.width());
            data.put("height", v.height());
            data.put("renditions", v.renditions() == null ? java.util.List.of()
                    : v.renditions().stream().map(VideoTranscoded.Rendition::name).toList());
            fanout.publish(v.ownerId(), EventTypes.VIDEO_READY, event.id(), event.time(), data);
        });
    }

    /** One rendition is playable before the ladder is done (lowest first); {@code video.ready} still follows. */
    @Incoming(Channels.VIDEO_RENDITION_READY)
    @Blocking
    public void onRenditionReady(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoRenditionReady.class, event -> {
            VideoRenditionReady v = event.data();
            if (replacements.videoOf(v.videoId()).isPresent()) {
                return; // the video plays its current file until the switch
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("videoId", v.videoId());
            data.put("jobId", v.jobId());
            data.put("rendition", v.rendition().name());
            data.put("ready", v.ready());
            data.put("ladder", v.ladder());
            fanout.publish(v.ownerId(), EventTypes.VIDEO_RENDITION_READY, event.id(), event.time(), data);
        });
    }

    @Incoming(Channels.VIDEO_FAILED)
    @Blocking
    public void onFailed(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoFailed.class, event -> {
            VideoFailed v = event.data();
            Optional<UUID> replaced = replacements.videoOf(v.videoId());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("videoId", replaced.orElse(v.videoId()));
            replaced.ifPresent(video -> data.put("mediaId", v.videoId()));
            data.put("jobId", v.jobId());
            data.put("stage", v.stage());
            data.put("reason", v.reason());
            fanout.publish(v.ownerId(), replaced.isPresent() ? EventTypes.VIDEO_REPLACE_FAILED : EventTypes.VIDEO_FAILED,
                    event.id(), event.time(), data);
        });
    }

    @Incoming(Channels.VIDEO_DELETED)
    @Blocking
    public void onDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoDeleted.class, event -> {
            VideoDeleted v = event.data();
            if (replacements.videoOf(v.videoId()).isPresent()) {
                return; // a replace cancelled (its video deleted, which has a video.deleted of its own)
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("videoId", v.videoId());
            data.put("fileName", v.fileName());
            data.put("deletedBy", v.deletedBy());
            fanout.publish(v.ownerId(), EventTypes.VIDEO_DELETED, event.id(), event.time(), data);
        });
    }

    /** A video switched to the file of its replacement upload (catalog-service, at the switch). */
    @Incoming(Channels.VIDEO_REPLACED)
    @Blocking
    public void onReplaced(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoReplaced.class, event -> {
            VideoReplaced v = event.data();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("videoId", v.videoId());
            data.put("mediaId", v.newRoot());
            data.put("previousMediaId", v.oldRoot());
            data.put("sizeBytes", v.newBytes());
            fanout.publish(v.ownerId(), EventTypes.VIDEO_REPLACED, event.id(), event.time(), data);
        });
    }

    @Incoming(Channels.QUOTA_ALERTS)
    @Blocking
    public void onQuotaAlert(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, QuotaAlert.class, event -> {
            QuotaAlert a = event.data();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("resource", a.resource());
            data.put("threshold", a.threshold());
            data.put("usedBytes", a.usedBytes());
            data.put("limitBytes", a.limitBytes());
            data.put("percentUsed", a.percentUsed());
            fanout.publish(a.userId(), EventTypes.QUOTA_ALERT, event.id(), event.time(), data);
        });
    }

    /** Only a job's end (SUCCEEDED or FAILED) is a webhook event; progress in between is not. */
    @Incoming(Channels.TRANSCODE_PROGRESS)
    @Blocking
    public void onProgress(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, TranscodeProgress.class, event -> {
            TranscodeProgress p = event.data();
            String type = switch (p.status()) {
                case "SUCCEEDED" -> EventTypes.JOB_SUCCEEDED;
                case "FAILED" -> EventTypes.JOB_FAILED;
                default -> null;
            };
            if (type != null && p.ownerId() != null) {
                Optional<UUID> replaced = replacements.videoOf(p.videoId());
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("jobId", p.jobId());
                data.put("videoId", replaced.orElse(p.videoId()));
                replaced.ifPresent(video -> data.put("mediaId", p.videoId()));
                data.put("status", p.status());
                fanout.publish(p.ownerId(), type, event.id(), event.time(), data);
            }
        });
    }
}
