package dev.clipflow.quota.account;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A user's figures as one usage update left them: what the alert evaluation needs, without the user's
 * lists (files, reservations, alerts).
 *
 * @param armed per alert key ({@code storage80}, {@code bandwidth100}, ...): false once it fired, until usage
 *        falls below its threshold again; a key absent counts as armed
 * @param seq bumped by every usage update, so a reconciliation can tell whether a newer change happened
 * @param alertsDirty a usage update happened whose alert evaluation may not have run
 */
public record QuotaState(UUID userId, long storageLimit, long storageUsed, long storageReserved, long bandwidthLimit,
        long bandwidthUsed, Instant periodStart, Map<String, Boolean> armed, long seq, boolean alertsDirty) {

    /** Committed plus reserved bytes: what the storage alerts and the limit check count. */
    public long storageUsage() {
        return storageUsed + storageReserved;
    }

    public boolean armed(String key) {
        return !Boolean.FALSE.equals(armed.get(key));
    }

    /** The storage figures as the API shows them. */
    public QuotaView.Storage storage() {
        double percent = QuotaMath.percent(storageUsage(), storageLimit);
        return new QuotaView.Storage(storageLimit, storageUsed, storageReserved, percent,
                percent >= QuotaMath.ALERT_PERCENT);
    }
}
