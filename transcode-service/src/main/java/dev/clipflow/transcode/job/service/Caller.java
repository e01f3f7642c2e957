package dev.clipflow.transcode.job.service;

import java.util.UUID;

/**
 * Who asks: a user (sees their own jobs) or an admin or internal service (sees all).
 *
 * @param userId null for a service token
 */
public record Caller(UUID userId, boolean admin) {
}
