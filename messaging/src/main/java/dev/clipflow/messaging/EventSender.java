package dev.clipflow.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one way a service sends to Kafka: one idempotent producer ({@code acks=all}) per service, each
 * send waited on until Kafka acknowledged it or {@code clipflow.events.send-timeout} passed, and an
 * ordered shutdown: every {@link RelayLoop} stops after its pass in flight, and only then does the
 * producer close (closing it under a pass would fail sends the broker may already have taken).
 * Used by the outbox relay, quota's alert relay, dead letters and replays. A record that carries a
 * {@code traceparent} header (the trace of whatever published it) is sent in a PRODUCER span, child
 * of that context, whose own {@code traceparent} replaces the header: consumers continue the trace.
 */
@ApplicationScoped
public class EventSender {

    private final EventsConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Tracer tracer;
    private final List<RelayLoop> loops = new CopyOnWriteArrayList<>();
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile boolean closed;

    public EventSender(EventsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, Instance<OpenTelemetry> telemetry) {
        this.config = config;
        this.tracer = (telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop()).getTracer("dev.clipflow.messaging");
        // the shared kafka.* settings (security, SASL, ...) that apply to a producer
        this.kafkaConfig = new HashMap<>();
        kafkaConfig.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                this.kafkaConfig.put(name, String.valueOf(value));
            }
        });
        this.kafkaConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    /** A relay loop whose passes send through this sender; stopped before the producer closes. */
    public RelayLoop loop(String name, int batchSize, RelayLoop.Pass pass) {
        RelayLoop loop = new RelayLoop(name, batchSize, pass);
        loops.add(loop);
        return loop;
    }

    /**
     * Sends every record and waits for the acknowledgements (one deadline for the whole batch).
     * Element {@code i} of the answer is null when record {@code i} was acknowledged, else why not.
     */
    public List<Exception> sendAll(List<OutgoingRecord> records) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        List<Exception> outcome = new ArrayList<>(records.size());
        List<Span> spans = new ArrayList<>(records.size());
        for (OutgoingRecord record : records) {
            Span span = publishSpan(record);
            spans.add(span);
            try {
                sends.add(producer().send(toProducerRecord(record, span)));
            } catch (RuntimeException e) {
                sends.add(null);
                outcome.add(e);
                continue;
            }
            outcome.add(null);
        }
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (int i = 0; i < sends.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send == null) {
                continue;
            }
            try {
                send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome.set(i, e);
            } catch (ExecutionException e) {
                outcome.set(i, e.getCause() instanceof Exception cause ? cause : e);
            } catch (Exception e) {
                outcome.set(i, e);
            }
        }
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            if (span != null) {
                if (outcome.get(i) != null) {
                    span.recordException(outcome.get(i));
                    span.setStatus(StatusCode.ERROR, "not acknowledged");
                }
                span.end();
            }
        }
        return outcome;
    }

    /** The PRODUCER span of a record that carries a trace context; null for one without. */
    private Span publishSpan(OutgoingRecord record) {
        byte[] parent = record.headers().get(TraceContext.HEADER);
        if (parent == null) {
            return null;
        }
        return tracer.spanBuilder(record.topic() + " publish")
                .setParent(TraceContext.parent(new String(parent, StandardCharsets.US_ASCII)))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(AttributeKey.stringKey("messaging.system"), "kafka")
                .setAttribute(AttributeKey.stringKey("messaging.operation.type"), "send")
                .setAttribute(AttributeKey.stringKey("messaging.destination.name"), record.topic())
                .setAttribute(AttributeKey.stringKey("messaging.kafka.message.key"), String.valueOf(record.key()))
                .startSpan();
    }

    /** Sends one record and waits for Kafka's acknowledgement; throws {@link SendFailedException} when it did not come. */
    public void send(OutgoingRecord record) {
        Exception failure = sendAll(List.of(record)).get(0);
        if (failure != null) {
            throw new SendFailedException("Kafka did not acknowledge a record for " + record.topic() + ": "
                    + failure.getMessage(), failure);
        }
    }

    private ProducerRecord<String, byte[]> toProducerRecord(OutgoingRecord record, Span span) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(record.topic(), record.key(), record.value());
        Map<String, byte[]> headers = new LinkedHashMap<>(record.headers());
        if (span != null) {
            String traceparent = TraceContext.of(io.opentelemetry.context.Context.root().with(span));
            if (traceparent != null) {
                headers.put(TraceContext.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
            }
        }
        headers.forEach((name, value) -> out.headers().add(new RecordHeader(name, value)));
        return out;
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The event sender is closed (shutting down)");
                }
                if (producer == null) {
                    Map<String, Object> props = new HashMap<>(kafkaConfig);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
                    // delivery.timeout must cover linger + request timeout
                    int delivery = (int) Math.max(2_000, config.sendTimeout().toMillis());
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery / 2);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "clipflow-events");
                    producer = new KafkaProducer<>(props);
                }
                current = producer;
            }
        }
        return current;
    }

    /**
     * Shutdown, after the services' own shutdown work (observed late): each loop's pass in flight
     * finishes (its sends acknowledged or timed out), then the producer closes.
     */
    void stop(@Observes @Priority(5000) ShutdownEvent event) {
        Duration wait = config.sendTimeout().plusSeconds(5);
        for (RelayLoop loop : loops) {
            loop.stop(wait);
        }
        KafkaProducer<String, byte[]> current;
        synchronized (this) {
            closed = true;
            current = producer;
        }
        if (current != null) {
            current.close(Duration.ofSeconds(5));
            Log.debug("Event sender closed");
        }
    }

    /** Kafka did not acknowledge a record in time: an infrastructure failure, retried by the caller. */
    public static class SendFailedException extends RuntimeException {
        public SendFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
