package dev.clipflow.quota.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's quota as {@code GET /api/quota/me} shows it.
 *
 * @param storage committed ({@code usedBytes}) and reserved bytes against the storage limit
 * @param bandwidth bytes served and uploaded in the current monthly period
 * @param deletions videos deleted and the storage they freed
 * @param files the stored originals charged to the user
 */
public record QuotaView(Storage storage, Bandwidth bandwidth, Deletions deletions, List<File> files) {

    /**
     * @param percentUsed (used + reserved) in percent of the limit
     * @param alert true from 80 % on
     */
    public record Storage(long limitBytes, long usedBytes, long reservedBytes, double percentUsed, boolean alert) {
    }

    /**
     * @param periodStart start of the current monthly period (UTC, inclusive)
     * @param periodEnd end of the period (exclusive)
     * @param alert true from 80 % on
     */
    public record Bandwidth(long limitBytes, long usedBytes, Instant periodStart, Instant periodEnd,
            double percentUsed, boolean alert) {
    }

    public record Deletions(long count, long bytes) {
    }

    public record File(UUID videoId, String fileName, long sizeBytes) {
    }
}
