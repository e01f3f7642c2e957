package dev.clipflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.logging.LogFields;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The one way every consumer takes an event: parse the record's bytes, validate the CloudEvent
 * against the contract's schemas, map {@code data} to the topic's record, hand it to the handler.
 * <ul>
 *   <li>An invalid or poison event ({@link InvalidEventException}, from here or from the handler)
 *   goes to {@code <topic>.dlq} at once with its bytes and the reason ({@link DeadLetters}); the
 *   consumer moves on.</li>
 *   <li>Any other failure is an infrastructure failure (database, blob store, another service, Kafka
 *   itself when the dead letter cannot be sent): the same event is handed again after a pause that
 *   doubles up to {@code clipflow.events.retry-max-backoff}, for as long as it takes. It is never
 *   dead-lettered. The channel's later records wait behind it (processing is ordered; the connector
 *   pauses the partitions once its buffer is full), and the offset is not committed past it.</li>
 *   <li>At shutdown a retrying event is given up with an exception: the channel's failure strategy
 *   ({@code fail}) stops the channel without committing, so the next start (or another replica)
 *   receives the event again.</li>
 * </ul>
 * Each record is taken in a CONSUMER span ({@code <topic> process}) whose parent is the record's
 * {@code traceparent} header ({@link TraceContext}): the handler's work, its database writes and the
 * events it publishes through the outbox belong to the trace of the request that caused the event.
 * While it runs, the log context (MDC) holds {@code videoId} (or {@code userId} for the user-keyed
 * topics) from the record's key.
 * Call it from a blocking {@code @Incoming} method that receives the {@code ConsumerRecord}.
 */
@ApplicationScoped
public class EventIntake {

    private final DeadLetters deadLetters;
    private final EventsConfig config;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private volatile boolean stopping;

    public EventIntake(DeadLetters deadLetters, EventsConfig config, MeterRegistry registry,
            Instance<OpenTelemetry> telemetry) {
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
        this.tracer = (telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop()).getTracer("dev.clipflow.messaging");
    }

    /** Takes one record of a contract topic: see the class comment. Returns once it was applied or dead-lettered. */
    public <T> void consume(ConsumerRecord<String, byte[]> record, Class<T> type, EventHandler<T> handler) {
        Header parent = record.headers().lastHeader(TraceContext.HEADER);
        Span span = tracer.spanBuilder(record.topic() + " process")
                .setParent(TraceContext.parent(parent == null ? null : new String(parent.value(), StandardCharsets.US_ASCII)))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(AttributeKey.stringKey("messaging.system"), "kafka")
                .setAttribute(AttributeKey.stringKey("messaging.operation.type"), "process")
                .setAttribute(AttributeKey.stringKey("messaging.destination.name"), record.topic())
                .setAttribute(AttributeKey.stringKey("messaging.kafka.message.key"), String.valueOf(record.key()))
                .setAttribute(AttributeKey.longKey("messaging.kafka.offset"), record.offset())
                .setAttribute(AttributeKey.longKey("messaging.destination.partition.id"), (long) record.partition())
                .startSpan();
        String idField = userKeyed(record.topic()) ? LogFields.USER_ID : LogFields.VIDEO_ID;
        try (Scope scope = span.makeCurrent()) {
            if (record.key() != null) {
                MDC.put(idField, record.key());
            }
            consumeInSpan(record, type, handler, span);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, "not applied");
            throw e;
        } finally {
            MDC.remove(idField);
            span.end();
        }
    }

    private static boolean userKeyed(String topic) {
        return Topics.USER_DELETED.equals(topic) || Topics.QUOTA_ALERTS.equals(topic);
    }

    private <T> void consumeInSpan(ConsumerRecord<String, byte[]> record, Class<T> type, EventHandler<T> handler,
            Span span) {
        Duration pause = config.retryInitialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                applyOrPark(record, type, handler, span);
                if (attempt > 1) {
                    Log.infof("%s[%d]@%d applied at attempt %d", record.topic(), record.partition(), record.offset(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                registry.counter("clipflow.events.retries", "topic", record.topic()).increment();
                span.addEvent("retry");
                if (stopping) {
                    Log.warnf("Shutting down: %s[%d]@%d not applied (%s); left for redelivery", record.topic(),
                            record.partition(), record.offset(), e.getMessage());
                    throw e;
                }
                Log.warnf("Applying %s[%d]@%d failed (attempt %d), retrying in %s: %s%s", record.topic(),
                        record.partition(), record.offset(), attempt, pause, e, e.getCause() == null ? ""
                                : " (cause: " + e.getCause() + ")");
                if (!pause(pause)) {
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff()
                        : pause.multipliedBy(2);
            }
        }
    }

    private <T> void applyOrPark(ConsumerRecord<String, byte[]> record, Class<T> type, EventHandler<T> handler,
            Span span) {
        InvalidEventException invalid;
        try {
            handler.handle(read(record, type));
            return;
        } catch (InvalidEventException e) {
            invalid = e;
        }
        span.setAttribute(AttributeKey.stringKey("clipflow.dead_letter.reason"), String.valueOf(invalid.getMessage()));
        span.setStatus(StatusCode.ERROR, "dead-lettered");
        deadLetters.park(record, invalid.getMessage());
    }

    /** The typed event of a record, or {@link InvalidEventException} saying why there is none. */
    public static <T> IncomingEvent<T> read(ConsumerRecord<String, byte[]> record, Class<T> type) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new InvalidEventException("Empty message");
        }
        JsonNode event;
        try {
            event = EventJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new InvalidEventException("Not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage()));
        }
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("Not a JSON object");
        }
        List<String> problems = EventSchemas.validateEvent(record.topic(), event);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("Schema validation failed: " + String.join("; ", problems));
        }
        T data;
        try {
            data = EventJson.mapper().treeToValue(event.get("data"), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("The data cannot be read as " + type.getSimpleName() + ": " + e.getMessage());
        }
        Instant time = null;
        if (event.hasNonNull("time")) {
            try {
                time = OffsetDateTime.parse(event.get("time").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidEventException("$.time is not a date-time: " + event.get("time").asText());
            }
        }
        return new IncomingEvent<>(record.topic(), event.get("id").asText(), event.path("source").asText(),
                event.path("subject").asText(null), time, data);
    }

    /** Sleeps, waking early when the service stops; false when it stops. */
    private boolean pause(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopping;
    }

    /**
     * At start, the dead-letter and retry counters of every topic this service consumes exist at 0, so
     * the series are on {@code /q/metrics} (and alerts on their rate work) before the first failure.
     */
    void registerMeters(@Observes io.quarkus.runtime.StartupEvent event) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".topic")) {
                config.getOptionalValue(name, String.class).ifPresent(topic -> {
                    registry.counter("clipflow.events.dead.letters", "topic", topic);
                    registry.counter("clipflow.events.retries", "topic", topic);
                });
            }
        }
    }

    /** First thing at shutdown: retrying handlers give their event up for redelivery instead of waiting on. */
    void stopping(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }
}
