package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code usage.bandwidth}: bytes served or uploaded that count against an owner's bandwidth,
 * reported in small batches. Consumers deduplicate on the CloudEvent id.
 *
 * @param kind SERVED or UPLOADED
 */
public record UsageBandwidth(UUID ownerId, long bytes, String kind, Instant windowStart, Instant windowEnd) {
}
