package dev.clipflow.quota.account;

import java.time.Instant;
import java.util.UUID;

/** A storage reservation held on a user's quota until it is committed, released or expires. */
public record HeldReservation(UUID id, UUID userId, long bytes, UUID videoId, String fileName, Instant expiresAt) {
}
