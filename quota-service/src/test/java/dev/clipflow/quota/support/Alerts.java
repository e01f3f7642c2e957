package dev.clipflow.quota.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.quota.account.QuotaRepository;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reads the {@code quota.alerts} a user got, once the relay has sent everything pending. */
public final class Alerts {

    private Alerts() {
    }

    public static List<JsonNode> of(QuotaRepository repository, UUID userId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> repository.pendingAlerts(userId).isEmpty());
        List<JsonNode> events = KafkaTestClient.readAll(Topics.QUOTA_ALERTS).stream()
                .filter(r -> userId.toString().equals(r.key()))
                .map(r -> KafkaTestClient.json(r.value()))
                .toList();
        events.forEach(e -> assertThat(EventSchemas.validateEvent(Topics.QUOTA_ALERTS, e)).isEmpty());
        return events;
    }

    /** "STORAGE 80", "BANDWIDTH 100", ... in order. */
    public static List<String> summary(QuotaRepository repository, UUID userId) {
        return of(repository, userId).stream()
                .map(e -> e.path("data").path("resource").asText() + " " + e.path("data").path("threshold").asInt())
                .toList();
    }
}
