package dev.clipflow.catalog.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Plain Kafka clients against the test broker: publish events as other services do, read what the catalog published. */
public final class KafkaTopics {

    private static KafkaProducer<String, String> producer;

    private KafkaTopics() {
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static synchronized void send(String topic, String key, CloudEvent<?> event) {
        try {
            publish(topic, key, EventJson.mapper().writeValueAsString(event), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes raw text as a misbehaving publisher might: no CloudEvents content-type header. */
    public static synchronized void send(String topic, String key, String json) {
        publish(topic, key, json, false);
    }

    /** Typed events go out as the platform's producers send them: structured CloudEvents with their content-type header. */
    private static void publish(String topic, String key, String json, boolean cloudEvent) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        }
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
            if (cloudEvent) {
                record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /** Reads {@code topic} from the beginning until an event matches; fails after the timeout. */
    public static ConsumerRecord<String, String> await(String topic, Predicate<JsonNode> match, Duration timeout) {
        List<JsonNode> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = EventJson.mapper().readTree(record.value());
                    seen.add(event);
                    if (match.test(event)) {
                        return record;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("No matching event on " + topic + " within " + timeout + "; saw " + seen.size());
    }

    /** Every event on {@code topic} matching, read until no new record arrives for a moment. */
    public static List<JsonNode> all(String topic, Predicate<JsonNode> match, Duration quiet) {
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            boolean assigned = false;
            while (!assigned || System.nanoTime() - idleSince < quiet.toNanos()) {
                var records = consumer.poll(Duration.ofMillis(200));
                assigned |= !consumer.assignment().isEmpty();
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (ConsumerRecord<String, String> record : records) {
                    JsonNode event = EventJson.mapper().readTree(record.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
