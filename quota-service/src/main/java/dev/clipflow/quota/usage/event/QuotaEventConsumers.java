package dev.clipflow.quota.usage.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.quota.usage.service.QuotaService;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.function.Consumer;

/**
 * Consumes {@code video.deleted}, {@code user.deleted} and {@code usage.bandwidth}. Each event is
 * validated against its JSON Schema; an invalid one is logged and nacked, which sends it to
 * {@code <topic>.dlq} (failure-strategy {@code dead-letter-queue}) while the channel keeps going.
 * Effects are idempotent by CloudEvent id (see {@link QuotaService}). A failing database is retried
 * a few times before the event is given up to the dead-letter topic.
 */
@ApplicationScoped
public class QuotaEventConsumers {

    public static final String VIDEO_DELETED = "video-deleted";
    public static final String USER_DELETED = "user-deleted";
    public static final String USAGE_BANDWIDTH = "usage-bandwidth";
    private static final int ATTEMPTS = 5;

    private final QuotaService quotas;

    public QuotaEventConsumers(QuotaService quotas) {
        this.quotas = quotas;
    }

    @Incoming(VIDEO_DELETED)
    @Blocking
    public void onVideoDeleted(String json) {
        handle(Topics.VIDEO_DELETED, json, event -> {
            VideoDeleted data = data(event, VideoDeleted.class);
            quotas.videoDeleted(event.path("id").asText(), data.ownerId(), data.videoId());
        });
    }

    @Incoming(USER_DELETED)
    @Blocking
    public void onUserDeleted(String json) {
        handle(Topics.USER_DELETED, json, event -> quotas.userDeleted(data(event, UserDeleted.class).userId()));
    }

    @Incoming(USAGE_BANDWIDTH)
    @Blocking
    public void onBandwidth(String json) {
        handle(Topics.USAGE_BANDWIDTH, json, event -> {
            UsageBandwidth data = data(event, UsageBandwidth.class);
            quotas.recordBandwidth(event.path("id").asText(), data.ownerId(), data.bytes());
        });
    }

    private void handle(String topic, String json, Consumer<JsonNode> action) {
        JsonNode event;
        try {
            event = EventJson.mapper().readTree(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(topic, List.of("not JSON: " + e.getMessage()), json);
        }
        List<String> problems = event == null ? List.of("empty message") : EventSchemas.validateEvent(topic, event);
        if (!problems.isEmpty()) {
            throw invalid(topic, problems, json);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                action.accept(event);
                Log.debugf("Applied %s event %s", topic, event.path("id").asText());
                return;
            } catch (InvalidEventException e) {
                Log.warnf("Invalid %s event %s sent to %s: %s", topic, event.path("id").asText(), Topics.dlq(topic),
                        e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    Log.errorf(e, "Giving up %s event %s after %d attempts", topic, event.path("id").asText(), attempt);
                    throw e;
                }
                Log.warnf("Applying %s event %s failed (attempt %d), retrying: %s", topic, event.path("id").asText(),
                        attempt, e.getMessage());
                sleep(200L << attempt);
            }
        }
    }

    private static <T> T data(JsonNode event, Class<T> type) {
        try {
            return EventJson.mapper().treeToValue(event.path("data"), type);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("data does not map to " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static InvalidEventException invalid(String topic, List<String> problems, String json) {
        String head = json == null ? "null" : json.substring(0, Math.min(json.length(), 200));
        Log.warnf("Invalid %s event sent to %s: %s (%s)", topic, Topics.dlq(topic), problems, head);
        return new InvalidEventException("Invalid " + topic + " event: " + String.join("; ", problems));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** An event that can never be applied: it goes to the dead-letter topic at once. */
    static final class InvalidEventException extends RuntimeException {

        InvalidEventException(String message) {
            super(message, null, false, false);
        }
    }
}
