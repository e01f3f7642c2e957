package dev.clipflow.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the dead letters of a topic ({@code <topic>.dlq}) and replays them into the topic they came
 * from (idempotent consumers make a replay safe). A replay sends the dead letter's key, value bytes
 * and original headers back to the source topic, and appends a marker ({@value #REPLAY_OF}) to the
 * dead-letter topic so the listing shows when it was replayed; records are never deleted from
 * Kafka (the topic's retention does that). Counted by {@code clipflow.events.dead.letters.replayed}.
 */
@ApplicationScoped
public class DeadLetterAdmin {

    /** Header of a replay marker: {@code <partition>:<offset>} of the dead letter it replayed. */
    public static final String REPLAY_OF = "dead-letter-replay-of";
    /** Header of a replay marker: when. */
    public static final String REPLAYED_AT = "dead-letter-replayed-at";

    /** One dead-letter topic: how many dead letters it holds and how many of them were never replayed. */
    public record Summary(String topic, String deadLetterTopic, int deadLetters, int pending) {
    }

    /** One dead letter. {@code replayedAt} is null until it was replayed. */
    public record DeadLetter(String topic, int partition, long offset, String key, String eventId, String reason,
            String service, Instant deadLetteredAt, Integer sourcePartition, Long sourceOffset, Instant replayedAt) {
    }

    private final EventSender sender;
    private final MeterRegistry registry;
    private final Map<String, Object> consumerConfig = new HashMap<>();

    public DeadLetterAdmin(EventSender sender, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.sender = sender;
        this.registry = registry;
        kafkaConfig.forEach((name, value) -> {
            if (ConsumerConfig.configNames().contains(name)) {
                consumerConfig.put(name, String.valueOf(value));
            }
        });
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipflow-dead-letter-admin");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    /** Every contract topic's dead-letter topic with its counts. */
    public List<Summary> summary() {
        List<Summary> all = new ArrayList<>();
        for (String topic : Topics.ALL) {
            List<DeadLetter> letters = list(topic);
            all.add(new Summary(topic, Topics.dlq(topic), letters.size(),
                    (int) letters.stream().filter(letter -> letter.replayedAt() == null).count()));
        }
        return all;
    }

    /** The dead letters of a contract topic, oldest first; 404 for a topic that is not in the contract. */
    public List<DeadLetter> list(String topic) {
        List<Stored> stored = read(checked(topic));
        Map<String, Instant> replayed = new HashMap<>();
        for (Stored record : stored) {
            String of = record.header(REPLAY_OF);
            if (of != null) {
                replayed.merge(of, instant(record.header(REPLAYED_AT), record.time()),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return stored.stream()
                .filter(record -> record.header(REPLAY_OF) == null)
                .map(record -> record.letter(topic, replayed.get(record.partition() + ":" + record.offset())))
                .toList();
    }

    /** Replays one dead letter into its topic; 404 when the dead-letter topic holds no such record. */
    public DeadLetter replay(String topic, int partition, long offset) {
        Stored record = read(checked(topic)).stream()
                .filter(r -> r.partition() == partition && r.offset() == offset && r.header(REPLAY_OF) == null)
                .findFirst()
                .orElseThrow(() -> new ProblemException(404, "dead_letter.not_found", "Not Found",
                        "No dead letter at " + Topics.dlq(topic) + " partition " + partition + " offset " + offset + "."));
        Instant at = send(topic, record);
        return record.letter(topic, at);
    }

    /** Replays every dead letter of the topic that was not replayed yet; returns how many. */
    public int replayPending(String topic) {
        int replayed = 0;
        List<Stored> stored = read(checked(topic));
        Map<String, Boolean> done = new HashMap<>();
        stored.stream().map(r -> r.header(REPLAY_OF)).filter(of -> of != null).forEach(of -> done.put(of, true));
        for (Stored record : stored) {
            if (record.header(REPLAY_OF) == null && !done.containsKey(record.partition() + ":" + record.offset())) {
                send(topic, record);
                replayed++;
            }
        }
        return replayed;
    }

    private Instant send(String topic, Stored record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> {
            if (!name.startsWith("dead-letter-")) {
                headers.put(name, value);
            }
        });
        headers.put(DeadLetters.REPLAYED_FROM, utf8(Topics.dlq(topic) + "/" + record.partition() + "/" + record.offset()));
        sender.send(new OutgoingRecord(topic, record.key(), record.value(), headers));
        Instant now = Instant.now();
        Map<String, byte[]> marker = new LinkedHashMap<>();
        marker.put(REPLAY_OF, utf8(record.partition() + ":" + record.offset()));
        marker.put(REPLAYED_AT, utf8(now.toString()));
        sender.send(new OutgoingRecord(Topics.dlq(topic), record.key(), new byte[0], marker));
        registry.counter("clipflow.events.dead.letters.replayed", "topic", topic).increment();
        Log.infof("Dead letter %s/%d/%d replayed into %s", Topics.dlq(topic), record.partition(), record.offset(), topic);
        return now;
    }

    private static String checked(String topic) {
        if (topic == null || !Topics.ALL.contains(topic)) {
            throw new ProblemException(404, "dead_letter.unknown_topic", "Not Found",
                    "No such topic; one of " + String.join(", ", Topics.ALL) + ".");
        }
        return topic;
    }

    /** Every record of the dead-letter topic of {@code topic}, up to its end at the time of the call. */
    private List<Stored> read(String topic) {
        String dlq = Topics.dlq(topic);
        List<Stored> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlq, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(dlq, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + dlq + " up to " + end);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(Stored.of(record));
                    }
                }
            }
        }
        records.sort(Comparator.comparing(Stored::time).thenComparing(Stored::partition).thenComparing(Stored::offset));
        return records;
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A record of a dead-letter topic. */
    private record Stored(int partition, long offset, Instant time, String key, byte[] value, Map<String, byte[]> headers) {

        static Stored of(ConsumerRecord<String, byte[]> record) {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value());
            }
            return new Stored(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                    record.key(), record.value(), headers);
        }

        String header(String name) {
            byte[] value = headers.get(name);
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        DeadLetter letter(String topic, Instant replayedAt) {
            return new DeadLetter(topic, partition, offset, key, eventId(), header(DeadLetters.REASON),
                    header(DeadLetters.SERVICE), instant(header(DeadLetters.TIME), time), integer(DeadLetters.PARTITION),
                    longValue(DeadLetters.OFFSET), replayedAt);
        }

        private String eventId() {
            try {
                JsonNode event = EventJson.mapper().readTree(value);
                return event != null && event.hasNonNull("id") ? event.get("id").asText() : null;
            } catch (Exception e) {
                return null;
            }
        }

        private Integer integer(String name) {
            try {
                return header(name) == null ? null : Integer.valueOf(header(name));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private Long longValue(String name) {
            try {
                return header(name) == null ? null : Long.valueOf(header(name));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
