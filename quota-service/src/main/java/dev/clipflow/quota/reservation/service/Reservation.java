package dev.clipflow.quota.reservation.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to hold storage for an upload.
 *
 * @param expiresAt when the sweeper releases it if neither committed nor released; null: the default TTL
 */
public record Reservation(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName,
        Instant expiresAt) {
}
