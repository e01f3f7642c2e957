package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code video.replaced}: a video switched to the media of its replacement upload ({@code POST
 * /api/videos/{id}/replace}); id, title, shares and links stayed. Published by catalog-service in the transaction of
 * the switch; quota-service moves the video's charge from the old original to the new one (the new upload's file
 * entry, made under the media id {@code newRoot} when its reservation was committed, becomes the video's).
 *
 * @param oldRoot the media root the video played before (its own id, or the video it shared the media of)
 * @param newRoot the replacement's media id (its blobs are under {@code videos/{newRoot}/} and
 *        {@code originals/{newRoot}/})
 * @param oldBytes the original size the video was charged before
 * @param newBytes the new original's size
 * @param mp4Bytes what the new transcode stored beside the original (shown in the quota breakdown), when known
 */
public record VideoReplaced(UUID videoId, UUID ownerId, UUID oldRoot, UUID newRoot, long oldBytes, long newBytes,
        Long mp4Bytes, Long renditionsBytes, Long thumbnailBytes, Instant replacedAt) {
}
