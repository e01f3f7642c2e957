package dev.clipflow.contracts.events;

import java.util.UUID;

/**
 * {@code quota.alerts}: one per upward crossing of 80 % or 100 % of a limit.
 *
 * @param resource STORAGE or BANDWIDTH
 * @param threshold 80 or 100
 */
public record QuotaAlert(UUID userId, String resource, int threshold, long usedBytes, long limitBytes,
        double percentUsed) {
}
