package dev.clipflow.messaging;

import dev.clipflow.contracts.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parks an event that can never be applied on {@code <topic>.dlq}: the original key, value bytes and
 * headers, plus why ({@value #REASON}), where it came from ({@value #TOPIC}, {@value #PARTITION},
 * {@value #OFFSET}), which service gave it up ({@value #SERVICE}) and when ({@value #TIME}). Counted
 * by {@code clipflow.events.dead.letters} (tag {@code topic}: the source topic).
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String SERVICE = "dead-letter-service";
    public static final String TIME = "dead-letter-time";
    /** Set on a record sent back to its topic by a replay. */
    public static final String REPLAYED_FROM = "dead-letter-replayed-from";

    private final EventSender sender;
    private final MeterRegistry registry;
    private final String service;

    public DeadLetters(EventSender sender, MeterRegistry registry, EventsConfig config) {
        this.sender = sender;
        this.registry = registry;
        this.service = config.source();
    }

    /** Sends the record to its dead-letter topic and waits for Kafka's acknowledgement (throws when it did not come). */
    public void park(ConsumerRecord<String, byte[]> record, String reason) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dead-letter-")) {
                headers.put(header.key(), header.value());
            }
        }
        String shortReason = reason == null ? "invalid event" : reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        headers.put(REASON, utf8(shortReason));
        headers.put(TOPIC, utf8(record.topic()));
        headers.put(PARTITION, utf8(String.valueOf(record.partition())));
        headers.put(OFFSET, utf8(String.valueOf(record.offset())));
        headers.put(SERVICE, utf8(service));
        headers.put(TIME, utf8(Instant.now().toString()));
        sender.send(new OutgoingRecord(Topics.dlq(record.topic()), record.key(), record.value(), headers));
        registry.counter("clipflow.events.dead.letters", "topic", record.topic()).increment();
        Log.warnf("Dead letter: %s[%d]@%d sent to %s: %s", record.topic(), record.partition(), record.offset(),
                Topics.dlq(record.topic()), shortReason);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
