package dev.clipflow.messaging;

import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.testinfra.resources.KafkaResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one consumer path against the real broker: what goes to the dead-letter topic and what is retried. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class EventIntakeTest {

    private static final String DLQ = Topics.dlq(Topics.VIDEO_DELETED);

    @Inject
    TestConsumer consumer;

    @Inject
    MeterRegistry registry;

    @Inject
    DeadLetterAdmin admin;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyConsumerGetsTheSharedConnectorSettings() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        assertThat(config.getValue("mp.messaging.connector.smallrye-kafka.failure-strategy", String.class)).isEqualTo("fail");
        assertThat(config.getValue("mp.messaging.connector.smallrye-kafka.group.id", String.class)).isEqualTo("messaging-test");
    }

    @Inject
    EventSender sender;

    @Test
    void theHandlerRunsInTheTraceOfWhateverPublishedTheEventWithTheVideoInTheLogContext() throws Exception {
        UUID video = UUID.randomUUID();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String publisher = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
        sender.send(OutgoingRecord.cloudEvent(Topics.VIDEO_DELETED, video.toString(),
                new String(event(video), StandardCharsets.UTF_8), publisher));

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.applied.containsKey(video));
        assertThat(consumer.traceIds.get(video)).isEqualTo(traceId);
        assertThat(consumer.logVideoIds.get(video)).isEqualTo(video.toString());
        // the record carries the sender's PRODUCER span (same trace, a new span), not the publisher's span
        ConsumerRecord<String, byte[]> sent = records(Topics.VIDEO_DELETED, video.toString()).get(0);
        String header = header(sent, TraceContext.HEADER);
        assertThat(header).startsWith("00-" + traceId + "-").isNotEqualTo(publisher);
    }

    @Test
    void anEventWithoutTraceContextStartsATraceOfItsOwn() throws Exception {
        UUID video = UUID.randomUUID();
        send(video.toString(), event(video));
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.applied.containsKey(video));
        assertThat(consumer.traceIds.get(video)).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    }

    @Test
    void anInfrastructureFailureIsRetriedUntilItPassesAndNeverDeadLettered() throws Exception {
        UUID video = UUID.randomUUID();
        consumer.outages.put(video, new AtomicInteger(6));
        send(video.toString(), event(video));

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.applied.containsKey(video));
        assertThat(consumer.attempts.get(video).get()).isEqualTo(7);
        assertThat(consumer.applied.get(video).get()).isEqualTo(1);
        assertThat(deadLetters(video.toString())).isEmpty();
        assertThat(registry.counter("clipflow.events.retries", "topic", Topics.VIDEO_DELETED).count())
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void invalidAndPoisonEventsGoToTheDeadLetterTopicAtOnceWithTheirBytesAndReason() throws Exception {
        String notJson = "not json " + UUID.randomUUID();
        UUID poisoned = UUID.randomUUID();
        consumer.poison.add(poisoned);
        UUID after = UUID.randomUUID();
        double before = registry.counter("clipflow.events.dead.letters", "topic", Topics.VIDEO_DELETED).count();

        send("k-" + notJson, notJson.getBytes(StandardCharsets.UTF_8));
        byte[] poisonBytes = event(poisoned);
        send(poisoned.toString(), poisonBytes);
        String invalid = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\","
                + "\"type\":\"clipflow.video.deleted\",\"data\":{\"videoId\":\"nope\"}}";
        send("k-invalid", invalid.getBytes(StandardCharsets.UTF_8));
        send(after.toString(), event(after));

        // consumption goes on behind them
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.applied.containsKey(after));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters("k-" + notJson).isEmpty()
                && !deadLetters(poisoned.toString()).isEmpty() && !deadLetters("k-invalid").isEmpty());
        assertThat(consumer.attempts.get(poisoned).get()).as("poison is not retried").isEqualTo(1);

        ConsumerRecord<String, byte[]> text = deadLetters("k-" + notJson).get(0);
        assertThat(text.value()).isEqualTo(notJson.getBytes(StandardCharsets.UTF_8));
        assertThat(header(text, DeadLetters.REASON)).startsWith("Not JSON");
        assertThat(header(text, DeadLetters.TOPIC)).isEqualTo(Topics.VIDEO_DELETED);
        assertThat(header(text, DeadLetters.SERVICE)).isEqualTo("/clipflow/messaging-test");
        assertThat(header(text, DeadLetters.OFFSET)).matches("\\d+");
        assertThat(header(text, "content-type")).as("original headers kept").isEqualTo("text/plain");

        ConsumerRecord<String, byte[]> poison = deadLetters(poisoned.toString()).get(0);
        assertThat(poison.value()).isEqualTo(poisonBytes);
        assertThat(header(poison, DeadLetters.REASON)).isEqualTo("video " + poisoned + " makes no sense here");

        assertThat(header(deadLetters("k-invalid").get(0), DeadLetters.REASON)).startsWith("Schema validation failed");
        assertThat(registry.counter("clipflow.events.dead.letters", "topic", Topics.VIDEO_DELETED).count())
                .isEqualTo(before + 3);
    }

    @Test
    void aDeadLetterIsListedAndReplayedIntoItsTopic() throws Exception {
        UUID video = UUID.randomUUID();
        consumer.poison.add(video);
        send(video.toString(), event(video));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(video.toString()).isEmpty());

        DeadLetterAdmin.DeadLetter letter = admin.list(Topics.VIDEO_DELETED).stream()
                .filter(l -> video.toString().equals(l.key())).findFirst().orElseThrow();
        assertThat(letter.reason()).contains("makes no sense");
        assertThat(letter.replayedAt()).isNull();
        assertThat(letter.deadLetteredAt()).isNotNull();

        // the cause is fixed; the replay applies it
        consumer.poison.remove(video);
        DeadLetterAdmin.DeadLetter replayed = admin.replay(Topics.VIDEO_DELETED, letter.partition(), letter.offset());
        assertThat(replayed.replayedAt()).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.applied.containsKey(video));
        assertThat(admin.list(Topics.VIDEO_DELETED).stream().filter(l -> video.toString().equals(l.key())))
                .singleElement().satisfies(l -> assertThat(l.replayedAt()).isNotNull());
    }

    private static byte[] event(UUID video) throws Exception {
        return EventJson.mapper().writeValueAsBytes(CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/test",
                video.toString(), new VideoDeleted(video, UUID.randomUUID(), "a.mp4", 10, null)));
    }

    private void send(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.VIDEO_DELETED, key, value);
            record.headers().add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    /** The records on the dead-letter topic with this key. */
    private List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        return records(DLQ, key);
    }

    /** The records on a topic with this key (not the replay markers). */
    private List<ConsumerRecord<String, byte[]>> records(String topic, String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && record.headers().lastHeader(DeadLetterAdmin.REPLAY_OF) == null) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
