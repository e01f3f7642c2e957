package dev.clipflow.quota.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Every setting of quota-service ({@code clipflow.quota.*}). */
@ConfigMapping(prefix = "clipflow.quota")
public interface QuotaConfig {

    /** Storage limit of a user without an explicit one, in bytes (50 MB, as in the seed system). */
    @WithDefault("52428800")
    long defaultStorageLimitBytes();

    /** Monthly bandwidth limit of a user without an explicit one, in bytes (1 GiB). */
    @WithDefault("1073741824")
    long defaultBandwidthLimitBytes();

    /** How long a reservation lives when the caller gives no {@code expiresAt} (upload sessions live 24 h). */
    @WithDefault("PT25H")
    Duration reservationTtl();

    /** The latest {@code expiresAt} a caller may ask for, counted from now. */
    @WithDefault("P7D")
    Duration reservationMaxTtl();

    /** How often expired reservations are released and alert state is reconciled. */
    @WithDefault("60s")
    Duration sweepInterval();

    /** How often pending alerts are relayed to Kafka (besides right after they are recorded). */
    @WithDefault("1s")
    Duration alertRelayInterval();

    /**
     * How many recent CloudEvent ids each user document remembers, in the same update as each effect (a crash
     * right after an effect leaves the id there, where a redelivery finds it).
     */
    @WithDefault("1000")
    int processedEventsKept();

    /**
     * How long an applied event's id is remembered ({@code processed_events}) to drop a replay: at least as long as
     * the consumed topics keep their records (the chart sets it from its topics' longest {@code retention.ms}).
     */
    @WithDefault("P30D")
    Duration processedEventsRetention();
}
