package dev.clipflow.testinfra.kafka;

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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** Plain Kafka clients against the test broker: publish events, wait for events. */
public final class KafkaTestClient {

    private KafkaTestClient() {
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static void publish(String topic, String key, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Publishing to " + topic + " failed", e);
        }
    }

    public static void publish(String topic, CloudEvent<?> event) {
        try {
            publish(topic, event.subject(), EventJson.mapper().writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A received record: its JSON value (null when not JSON), raw value and headers. */
    public record Received(String key, String value, JsonNode json, Map<String, String> headers) {
    }

    /** Every record of {@code topic} matching {@code filter} seen within {@code timeout}, waiting until {@code until} holds. */
    public static List<Received> await(String topic, Predicate<Received> filter, Predicate<List<Received>> until,
            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<Received> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    Received received = received(record);
                    if (filter.test(received)) {
                        found.add(received);
                    }
                }
                if (until.test(found)) {
                    return found;
                }
            }
        }
        throw new AssertionError("Timed out waiting on " + topic + "; matching so far: " + found);
    }

    /** The first event on {@code topic} whose data has {@code field} = {@code value}. */
    public static JsonNode awaitData(String topic, String field, Object value, Duration timeout) {
        return await(topic, r -> r.json() != null && r.json().path("data").path(field).asText().equals(String.valueOf(value)),
                list -> !list.isEmpty(), timeout).get(0).json();
    }

    private static Received received(ConsumerRecord<String, String> record) {
        JsonNode json;
        try {
            json = record.value() == null ? null : EventJson.mapper().readTree(record.value());
        } catch (Exception e) {
            json = null;
        }
        Map<String, String> headers = new java.util.HashMap<>();
        record.headers().forEach(h -> headers.put(h.key(), h.value() == null ? null
                : new String(h.value(), StandardCharsets.UTF_8)));
        return new Received(record.key(), record.value(), json, headers);
    }
}
