package dev.clipflow.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Outbox relay settings ({@code clipflow.outbox.*}). */
@ConfigMapping(prefix = "clipflow.outbox")
public interface OutboxConfig {

    /** How many messages one relay pass sends. */
    @WithDefault("200")
    int batchSize();

    /** How long a send may take before the batch is retried. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** First retry delay after a failed send; doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest delay between two attempts of the same message. */
    @WithDefault("1m")
    Duration maxBackoff();
}
