package dev.clipflow.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Outbox relay and inbox settings ({@code clipflow.outbox.*}); how long a send waits for Kafka is
 * {@code clipflow.events.send-timeout}, shared by every sender.
 */
@ConfigMapping(prefix = "clipflow.outbox")
public interface OutboxConfig {

    /** How many messages one relay pass sends. */
    @WithDefault("200")
    int batchSize();

    /** First retry delay after a failed send; doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest delay between two attempts of the same message. */
    @WithDefault("1m")
    Duration maxBackoff();

    /**
     * How long an applied event's id stays in {@code inbox_event}: longer than any topic keeps a
     * record (30 days for deletions and dead letters), so no redelivery outlives its dedup entry.
     */
    @WithDefault("P35D")
    Duration inboxRetention();
}
