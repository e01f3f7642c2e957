package dev.clipflow.quota.account;

import java.time.Instant;
import java.util.UUID;

/** An alert recorded on a user's quota and not yet acknowledged by Kafka. */
public record PendingAlert(UUID id, UUID userId, String resource, int threshold, long usedBytes, long limitBytes,
        double percentUsed, Instant at, String traceparent) {
}
