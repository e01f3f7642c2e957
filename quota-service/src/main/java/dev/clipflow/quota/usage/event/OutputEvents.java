package dev.clipflow.quota.usage.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.quota.usage.service.QuotaService;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * What the pipeline stored or gave up for a video: {@code video.transcoded} charges an edit's result and
 * records the outputs beside each original, {@code video.failed} releases an edit's reservation (see
 * {@link QuotaService}). Both effects are idempotent, so redeliveries are harmless; an event that breaks its
 * schema is nacked to {@code <topic>.dlq}.
 */
@ApplicationScoped
public class OutputEvents {

    public static final String VIDEO_TRANSCODED = "video-transcoded";
    public static final String VIDEO_FAILED = "video-failed";

    private final QuotaService quotas;

    public OutputEvents(QuotaService quotas) {
        this.quotas = quotas;
    }

    @Incoming(VIDEO_TRANSCODED)
    @Blocking
    public void onTranscoded(String json) {
        quotas.videoTranscoded(data(Topics.VIDEO_TRANSCODED, json, VideoTranscoded.class));
    }

    @Incoming(VIDEO_FAILED)
    @Blocking
    public void onFailed(String json) {
        VideoFailed failed = data(Topics.VIDEO_FAILED, json, VideoFailed.class);
        quotas.videoFailed(failed.ownerId(), failed.videoId());
    }

    private static <T> T data(String topic, String json, Class<T> type) {
        try {
            JsonNode event = EventJson.mapper().readTree(json);
            List<String> problems = event == null ? List.of("empty message") : EventSchemas.validateEvent(topic, event);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Invalid " + topic + " event: " + String.join("; ", problems));
            }
            return EventJson.mapper().treeToValue(event.path("data"), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Log.warnf("Invalid %s event sent to %s: %s", topic, Topics.dlq(topic), e.getMessage());
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
