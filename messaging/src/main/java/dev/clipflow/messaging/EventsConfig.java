package dev.clipflow.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How this service sends and consumes events ({@code clipflow.events.*}). */
@ConfigMapping(prefix = "clipflow.events")
public interface EventsConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/clipflow/${quarkus.application.name}")
    String source();

    /**
     * How long a send waits for Kafka to acknowledge a record ({@code acks=all}) before it counts as
     * failed and is retried later (outbox rows, alerts, dead letters, replays).
     */
    @WithDefault("10s")
    Duration sendTimeout();

    /** First pause after an infrastructure failure while applying an event; doubles per attempt. */
    @WithDefault("500ms")
    Duration retryInitialBackoff();

    /** Longest pause between two attempts at the same event (it is retried until it applies). */
    @WithDefault("15s")
    Duration retryMaxBackoff();
}
