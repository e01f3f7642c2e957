package dev.clipflow.quota.account;

import java.util.UUID;

/**
 * A video's committed original on a user's quota.
 *
 * @param reservationId the reservation it was committed from (null for an edit's result charged without one)
 */
public record StoredFile(UUID videoId, String fileName, long sizeBytes, UUID reservationId) {
}
