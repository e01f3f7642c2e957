package dev.clipflow.quota.alert.event;

import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.support.Alerts;
import dev.clipflow.quota.support.Api;
import dev.clipflow.testinfra.resources.KafkaResource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.clipflow.quota.support.Api.reservation;
import static dev.clipflow.quota.support.Api.reserve;
import static dev.clipflow.quota.support.Api.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGTERM while an alert's send waits for Kafka's acknowledgement: the producer closes only after
 * that pass has finished, so an alert the broker takes during the shutdown is acknowledged and
 * removed, not failed by a producer closed under it and left for the next start (the bug commit
 * 7a88024 fixed in the outbox relay only). Own profile: the shutdown it fires ends this instance.
 */
@QuarkusTest
@TestProfile(AlertRelayShutdownTest.LongSendTimeout.class)
class AlertRelayShutdownTest {

    /** Sends may wait 60 s for the broker, far longer than the 5 s a producer close grants. */
    public static class LongSendTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipflow.events.send-timeout", "60s");
        }
    }

    @Inject
    QuotaRepository repository;

    @Inject
    Event<ShutdownEvent> shutdown;

    @Test
    void shutdownWaitsForTheAlertPassInFlight() throws Exception {
        // the relay has sent to quota.alerts before (producer connected, metadata known)
        UUID warm = UUID.randomUUID();
        Api.setLimits(warm, 1000, 1_000_000);
        reserve(service(), reservation(warm, 900)).then().statusCode(201);
        assertThat(Alerts.summary(repository, warm)).containsExactly("STORAGE 80");

        UUID user = UUID.randomUUID();
        Api.setLimits(user, 1000, 1_000_000);
        // the broker stops answering: the alert's send stays in flight instead of failing fast
        KafkaResource.broker().freeze();
        CompletableFuture<Void> stopping;
        try {
            reserve(service(), reservation(user, 900)).then().statusCode(201);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(AlertRelayShutdownTest::awaitingAnAcknowledgement);

            stopping = CompletableFuture.runAsync(() -> shutdown.fire(new ShutdownEvent()));
            try {
                // a producer close grants pending sends 5 s; the broker answers only after that
                stopping.get(8, TimeUnit.SECONDS);
            } catch (TimeoutException expected) {
                // still waiting for the pass in flight: what it should do
            }
        } finally {
            KafkaResource.broker().thaw();
        }
        stopping.get(90, TimeUnit.SECONDS);

        assertThat(repository.pendingAlerts(user))
                .as("alerts still pending after the shutdown").isEmpty();
        assertThat(Alerts.summary(repository, user)).containsExactly("STORAGE 80");
    }

    /** A relay pass waits for Kafka to acknowledge a record. */
    private static boolean awaitingAnAcknowledgement() {
        return Thread.getAllStackTraces().values().stream().map(Arrays::asList).anyMatch(frames ->
                frames.stream().anyMatch(f -> f.getClassName().contains("AlertRelay"))
                        && frames.stream().anyMatch(f -> f.getClassName().endsWith("FutureRecordMetadata")));
    }
}
