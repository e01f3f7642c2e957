package dev.clipflow.messaging;

import dev.clipflow.testinfra.resources.KafkaResource;
import dev.clipflow.testinfra.servers.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a service's consumers stop, as in production (the connector's graceful shutdown, which Quarkus
 * turns off in test mode unless asked): the test application's seven channels (one consumer group) are
 * closed the way the application's shutdown closes them, and must be gone well inside Kubernetes' 30 s
 * grace period, having committed what they took and left the group, so that another member of the
 * group gets the partitions at once and reads none of those records again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(ShutdownTest.GracefulShutdown.class)
class ShutdownTest {

    /** The production behaviour of the connector at shutdown. */
    public static class GracefulShutdown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.messaging.kafka.enable-graceful-shutdown-in-dev-and-test-mode", "true");
        }
    }

    private static final List<String> TOPICS = IntStream.range(0, ShutdownChannels.COUNT)
            .mapToObj(i -> "shutdown." + i).toList();

    @Inject
    @Connector("smallrye-kafka")
    InboundConnector connector;

    @Inject
    ShutdownChannels channels;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.application.name")
    String group;

    @Test
    void aServiceWithSevenChannelsStopsWithinSecondsAndAnotherMemberGoesOnWhereItStopped() throws Exception {
        KafkaBroker.ensureTopics(bootstrap, TOPICS);
        String run = UUID.randomUUID().toString();
        publish(run);
        await().atMost(Duration.ofSeconds(60)).until(() -> taken(run).size() == TOPICS.size() * 3);
        Set<String> takenBefore = taken(run);

        long started = System.nanoTime();
        // what the application's shutdown does (the connector's @BeforeDestroyed observer)
        ((KafkaConnector) connector).terminate(null);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("The connector's %d channels stopped in %.1f s%n", ShutdownChannels.COUNT + 1, seconds);

        // 2.5-3 s per channel before (two poll timeouts of 1 s slept per channel, one after the other)
        assertThat(seconds).as("seconds to stop seven channels").isLessThan(7);
        // another replica: gets every partition and starts after what was taken (committed at shutdown)
        try (KafkaConsumer<String, String> replica = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            replica.subscribe(TOPICS);
            long joining = System.nanoTime();
            Set<String> readAgain = new HashSet<>();
            while (replica.assignment().size() < TOPICS.size() * 3 && System.nanoTime() - joining < 20e9) {
                read(replica, run, readAgain);
            }
            assertThat(replica.assignment()).as("partitions the other member got").hasSize(TOPICS.size() * 3);
            for (int i = 0; i < 10; i++) {
                read(replica, run, readAgain);
            }
            assertThat(takenBefore).hasSize(TOPICS.size() * 3);
            assertThat(readAgain).as("records of the stopped channels read again").isEmpty();
        }
    }

    private Set<String> taken(String run) {
        return new HashSet<>(channels.taken.stream().filter(t -> t.startsWith(run)).toList());
    }

    private static void read(KafkaConsumer<String, String> replica, String run, Set<String> into) {
        for (ConsumerRecord<String, String> record : replica.poll(Duration.ofMillis(200))) {
            if (record.key().startsWith(run)) {
                into.add(record.key());
            }
        }
    }

    /** Three records to each topic, one per partition, keyed {@code <run>/<topic>/<partition>}. */
    private void publish(String run) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (String topic : TOPICS) {
                for (int partition = 0; partition < 3; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, run + "/" + topic + "/" + partition, "{}")).get();
                }
            }
        }
    }
}
