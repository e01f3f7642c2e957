package dev.clipflow.outbox;

import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.testinfra.resources.KafkaResource;
import dev.clipflow.testinfra.resources.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class OutboxTest {

    @Inject
    Outbox outbox;

    @Inject
    Inbox inbox;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void committedEventReachesKafkaWithKeyAndSchemaValidBody() throws Exception {
        UUID user = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(Topics.USER_DELETED,
                user, new UserDeleted(user, "a@b.c", null)));

        ConsumerRecord<String, String> record = awaitRecord(Topics.USER_DELETED, user.toString(), Duration.ofSeconds(30));

        assertThat(EventSchemas.validateEvent(Topics.USER_DELETED, EventJson.mapper().readTree(record.value()))).isEmpty();
        // the CloudEvents source comes from configuration (clipflow.events.source, default /clipflow/<application>)
        assertThat(EventJson.mapper().readTree(record.value()).path("source").asText()).isEqualTo("/clipflow/outbox-test");
        assertThat(new String(record.headers().lastHeader("content-type").value())).startsWith("application/cloudevents+json");
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    @Test
    void rolledBackTransactionPublishesNothing() throws Exception {
        UUID user = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                outbox.publish(Topics.USER_DELETED, user, new UserDeleted(user, null, null));
                throw new IllegalStateException("business rule failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        UUID marker = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(Topics.USER_DELETED,
                marker, new UserDeleted(marker, null, null)));

        List<ConsumerRecord<String, String>> seen = readUntil(Topics.USER_DELETED, marker.toString(), Duration.ofSeconds(30));
        assertThat(seen).extracting(ConsumerRecord::key).doesNotContain(user.toString());
    }

    @Test
    void eventWrittenDuringAKafkaOutageIsDeliveredAfterwards() throws Exception {
        UUID user = UUID.randomUUID();
        KafkaResource.broker().kill();
        try {
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(Topics.USER_DELETED,
                    user, new UserDeleted(user, null, null)));
            // the relay tries, fails and keeps the row for a retry
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(user) > 0);
        } finally {
            KafkaResource.restart();
        }

        awaitRecord(Topics.USER_DELETED, user.toString(), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
    }

    @Test
    void relayAllWaitsForThePassInFlightInsteadOfSkippingItsRows() throws Exception {
        // what a service's shutdown relies on: its last relayAll() must not return while another pass
        // still holds rows (SKIP LOCKED would hide them), or the producer closes under that pass
        UUID user = UUID.randomUUID();
        KafkaResource.broker().kill();
        try {
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(Topics.USER_DELETED,
                    user, new UserDeleted(user, null, null)));
            // the pass the commit started holds the row while its send waits for the absent broker
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> lockedByAPass(user));

            relay.relayAll();

            // that pass had finished (and recorded its failed attempt) before relayAll returned
            assertThat(attempts(user)).isPositive();
        } finally {
            KafkaResource.restart();
        }
        awaitRecord(Topics.USER_DELETED, user.toString(), Duration.ofSeconds(60));
    }

    @Test
    void inboxAcceptsAnEventIdOnce() {
        String id = UUID.randomUUID().toString();

        boolean first = QuarkusTransaction.requiringNew().call(() -> inbox.firstDelivery(Topics.VIDEO_DELETED, id));
        boolean second = QuarkusTransaction.requiringNew().call(() -> inbox.firstDelivery(Topics.VIDEO_DELETED, id));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void inboxForgetsEventIdsOlderThanTheRetentionOnly() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            inbox.firstDelivery(Topics.VIDEO_DELETED, old);
            inbox.firstDelivery(Topics.VIDEO_DELETED, recent);
            OutboxMessage.getEntityManager().createNativeQuery(
                    "update inbox_event set processed_at = now() - interval '40 days' where event_id = ?1")
                    .setParameter(1, old).executeUpdate();
        });

        // the scheduled purge (1 min after start) may have taken the old id already on a slow machine:
        // what counts is which ids are known afterwards
        inbox.purge();

        assertThat(inbox.applyOnce(Topics.VIDEO_DELETED, recent, () -> { })).as("recent id still known").isFalse();
        assertThat(inbox.applyOnce(Topics.VIDEO_DELETED, old, () -> { })).as("old id purged").isTrue();
    }

    @Test
    void inboxPurgeFindsOldIdsThroughAnIndexNotAScanOfEveryId() {
        // the purge runs hourly over a table holding every event id of the retention (30 days): it must not
        // read all of them. With sequential scans ruled out the planner shows whether an index can serve it.
        List<?> plan = QuarkusTransaction.requiringNew().call(() -> {
            OutboxMessage.getEntityManager().createNativeQuery("set local enable_seqscan = off").executeUpdate();
            return OutboxMessage.getEntityManager().createNativeQuery(
                    "explain delete from inbox_event where processed_at < now() - interval '30 days'").getResultList();
        });

        assertThat(plan.toString()).as("purge plan").containsIgnoringCase("index")
                .doesNotContainIgnoringCase("Seq Scan");
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        UUID user = UUID.randomUUID();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbox.publish(Topics.USER_DELETED,
                user, new UserDeleted(user, null, null)))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
    }

    /** The row exists but a {@code SKIP LOCKED} query does not see it: a relay pass holds it. */
    private boolean lockedByAPass(UUID key) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count("messageKey", key.toString()) == 1
                && OutboxMessage.getEntityManager().createNativeQuery(
                                "select id from outbox_message where message_key = :key for update skip locked")
                        .setParameter("key", key.toString()).getResultList().isEmpty());
    }

    private long pending() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count());
    }

    private int attempts(UUID key) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>find("messageKey", key.toString())
                .firstResultOptional().map(m -> m.attempts).orElse(0));
    }

    private ConsumerRecord<String, String> awaitRecord(String topic, String key, Duration timeout) {
        List<ConsumerRecord<String, String>> seen = readUntil(topic, key, timeout);
        return seen.get(seen.size() - 1);
    }

    private List<ConsumerRecord<String, String>> readUntil(String topic, String key, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record);
                    if (key.equals(record.key())) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError("No record with key " + key + " on " + topic + " within " + timeout);
    }
}
