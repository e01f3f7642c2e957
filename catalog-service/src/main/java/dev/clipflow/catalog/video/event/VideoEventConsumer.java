package dev.clipflow.catalog.video.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.catalog.video.service.VideoLifecycle;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.outbox.Inbox;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Consumes the pipeline's events. Each event is validated against its schema (invalid ones fail
 * and go to the channel's dead-letter topic), then applied in one transaction together with its
 * inbox entry, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class VideoEventConsumer {

    /** Channel names (configured in application.properties). */
    public static final String VIDEO_UPLOADED = "video-uploaded";
    public static final String TRANSCODE_PROGRESS = "transcode-progress";
    public static final String VIDEO_TRANSCODED = "video-transcoded";
    public static final String VIDEO_FAILED = "video-failed";
    public static final String USER_DELETED = "user-deleted";

    private static final ObjectMapper JSON = EventJson.mapper();

    private final VideoLifecycle lifecycle;
    private final VideoService videos;
    private final Inbox inbox;

    public VideoEventConsumer(VideoLifecycle lifecycle, VideoService videos, Inbox inbox) {
        this.lifecycle = lifecycle;
        this.videos = videos;
        this.inbox = inbox;
    }

    @Incoming(VIDEO_UPLOADED)
    @Blocking
    public void onUploaded(String payload) {
        apply(Topics.VIDEO_UPLOADED, payload, VideoUploaded.class, lifecycle::uploaded);
    }

    @Incoming(TRANSCODE_PROGRESS)
    @Blocking
    public void onProgress(String payload) {
        apply(Topics.TRANSCODE_PROGRESS, payload, TranscodeProgress.class, lifecycle::progress);
    }

    @Incoming(VIDEO_TRANSCODED)
    @Blocking
    public void onTranscoded(String payload) {
        apply(Topics.VIDEO_TRANSCODED, payload, VideoTranscoded.class, lifecycle::transcoded);
    }

    @Incoming(VIDEO_FAILED)
    @Blocking
    public void onFailed(String payload) {
        apply(Topics.VIDEO_FAILED, payload, VideoFailed.class, lifecycle::failed);
    }

    @Incoming(USER_DELETED)
    @Blocking
    public void onUserDeleted(String payload) {
        JsonNode event = validated(Topics.USER_DELETED, payload);
        String id = event.path("id").asText();
        UserDeleted data = read(event, UserDeleted.class);
        int deleted = videos.deleteUser(data.userId(), data.deletedBy());
        QuarkusTransaction.requiringNew().run(() -> inbox.firstDelivery(Topics.USER_DELETED, id));
        Log.infof("user.deleted %s: removed %d videos", data.userId(), deleted);
    }

    private <T> void apply(String topic, String payload, Class<T> type, Consumer<T> action) {
        JsonNode event = validated(topic, payload);
        String id = event.path("id").asText();
        T data = read(event, type);
        // Events of other channels may touch the same video at the same moment: a lost race on
        // creating the row is retried (the second attempt finds the row and locks it).
        for (int attempt = 1; ; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (inbox.firstDelivery(topic, id)) {
                        action.accept(data);
                    } else {
                        Log.debugf("Skipping redelivered %s event %s", topic, id);
                    }
                });
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3 || e instanceof IllegalArgumentException) {
                    throw e;
                }
                Log.debugf("Retrying %s event %s after %s", topic, id, e.getMessage());
            }
        }
    }

    private static JsonNode validated(String topic, String payload) {
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("Event on " + topic + " is not JSON");
        }
        List<String> problems = EventSchemas.validateEvent(topic, event);
        if (!problems.isEmpty()) {
            Log.warnf("Rejecting invalid %s event: %s", topic, problems);
            throw new IllegalArgumentException("Invalid " + topic + " event: " + problems);
        }
        return event;
    }

    private static <T> T read(JsonNode event, Class<T> type) {
        try {
            return JSON.treeToValue(event.path("data"), type);
        } catch (IOException e) {
            throw new IllegalArgumentException("Event data does not match " + type.getSimpleName());
        }
    }
}
