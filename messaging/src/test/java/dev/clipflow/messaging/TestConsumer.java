package dev.clipflow.messaging;

import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.logging.LogFields;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A consumer as every service writes one; the test decides what its handler does per video id. */
@Singleton
public class TestConsumer {

    /** Video ids whose handler fails that many more times as a database outage would. */
    final Map<UUID, AtomicInteger> outages = new ConcurrentHashMap<>();
    /** Video ids the handler declares poison. */
    final Set<UUID> poison = ConcurrentHashMap.newKeySet();
    /** How often each video id was applied. */
    final Map<UUID, AtomicInteger> applied = new ConcurrentHashMap<>();
    final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** The trace id and the log context's videoId each video's handler ran with. */
    final Map<UUID, String> traceIds = new ConcurrentHashMap<>();
    final Map<UUID, String> logVideoIds = new ConcurrentHashMap<>();

    private final EventIntake intake;

    public TestConsumer(EventIntake intake) {
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_DELETED)
    @Blocking
    public void videoDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoDeleted.class, event -> {
            UUID id = event.data().videoId();
            attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            traceIds.put(id, io.opentelemetry.api.trace.Span.current().getSpanContext().getTraceId());
            Object logged = org.jboss.logging.MDC.get(LogFields.VIDEO_ID);
            if (logged != null) {
                logVideoIds.put(id, logged.toString());
            }
            if (poison.contains(id)) {
                throw new InvalidEventException("video " + id + " makes no sense here");
            }
            AtomicInteger left = outages.get(id);
            if (left != null && left.getAndDecrement() > 0) {
                throw new IllegalStateException("Connection refused: the database is down");
            }
            applied.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        });
    }
}
