package dev.clipflow.contracts.events;

import java.util.UUID;

/**
 * {@code user.deleted}: an account is gone; every service drops what the user owned
 * (videos, blobs, upload sessions, quota).
 */
public record UserDeleted(UUID userId, String email, UUID deletedBy) {
}
