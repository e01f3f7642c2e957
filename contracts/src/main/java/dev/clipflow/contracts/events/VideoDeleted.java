package dev.clipflow.contracts.events;

import java.util.UUID;

/**
 * {@code video.deleted}: a video is gone from the catalog. quota-service releases its storage,
 * transcode-service cancels its jobs.
 *
 * @param sizeBytes the storage the video was charged for
 * @param deletedBy the user (owner or admin) who deleted it
 * @param chargeTo optional (absent before dedup): a live video of the same owner that still plays this one's media
 *        (dedup by content); quota-service moves this video's charge onto it instead of freeing it
 */
public record VideoDeleted(UUID videoId, UUID ownerId, String fileName, long sizeBytes, UUID deletedBy,
        UUID chargeTo) {

    /** A deletion whose media no other video shares. */
    public VideoDeleted(UUID videoId, UUID ownerId, String fileName, long sizeBytes, UUID deletedBy) {
        this(videoId, ownerId, fileName, sizeBytes, deletedBy, null);
    }
}
