package dev.clipflow.contracts.events;

import java.util.UUID;

/**
 * {@code video.deleted}: a video is gone from the catalog. quota-service releases its storage,
 * transcode-service cancels its jobs.
 *
 * @param sizeBytes the storage the video was charged for
 * @param deletedBy the user (owner or admin) who deleted it
 */
public record VideoDeleted(UUID videoId, UUID ownerId, String fileName, long sizeBytes, UUID deletedBy) {
}
