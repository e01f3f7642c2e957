package dev.clipflow.transcode.job.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.outbox.Inbox;
import dev.clipflow.transcode.job.service.JobService;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.function.Consumer;

/**
 * The topics transcode-service consumes. Each event is checked against its JSON Schema (an invalid
 * one goes to {@code <topic>.dlq} with the reason and consumption goes on), applied once per
 * CloudEvent id (inbox, same transaction as the change) and only then acknowledged. Database
 * failures are retried a few times with backoff before the event counts as poison.
 */
@ApplicationScoped
public class JobEventConsumer {

    private static final int ATTEMPTS = 3;

    private final JobService jobs;
    private final Inbox inbox;

    public JobEventConsumer(JobService jobs, Inbox inbox) {
        this.jobs = jobs;
        this.inbox = inbox;
    }

    @Incoming("video-uploaded")
    @Blocking
    public void videoUploaded(String payload) {
        apply(Topics.VIDEO_UPLOADED, payload, VideoUploaded.class, jobs::queueUpload);
    }

    @Incoming("transcode-requests")
    @Blocking
    public void transcodeRequest(String payload) {
        apply(Topics.TRANSCODE_REQUESTS, payload, TranscodeRequest.class, jobs::queueRequest);
    }

    @Incoming("video-deleted")
    @Blocking
    public void videoDeleted(String payload) {
        apply(Topics.VIDEO_DELETED, payload, VideoDeleted.class, deleted -> jobs.cancelVideo(deleted.videoId()));
    }

    @Incoming("user-deleted")
    @Blocking
    public void userDeleted(String payload) {
        apply(Topics.USER_DELETED, payload, UserDeleted.class, deleted -> jobs.cancelOwner(deleted.userId()));
    }

    private <T> void apply(String topic, String payload, Class<T> type, Consumer<T> action) {
        JsonNode event = parse(payload);
        List<String> problems = EventSchemas.validateEvent(topic, event);
        if (!problems.isEmpty()) {
            Log.warnf("Invalid %s event sent to %s: %s", topic, Topics.dlq(topic), problems);
            throw new InvalidEventException("Schema validation failed: " + String.join("; ", problems));
        }
        T data;
        try {
            data = EventJson.mapper().treeToValue(event.get("data"), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("The data cannot be read: " + e.getMessage());
        }
        String id = event.get("id").asText();
        for (int attempt = 1; ; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (inbox.firstDelivery(topic, id)) {
                        action.accept(data);
                    } else {
                        Log.debugf("Event %s on %s was applied before; skipped", id, topic);
                    }
                });
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                Log.warnf("Applying %s event %s failed (attempt %d): %s; retrying", topic, id, attempt, e.getMessage());
                sleep(500L << attempt);
            }
        }
    }

    private static JsonNode parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidEventException("Empty message");
        }
        try {
            return EventJson.mapper().readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("Not JSON: " + e.getOriginalMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
