package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code video.uploaded}: an upload finished, was verified and probed as a video; the original is
 * stored at {@code blobKey}. Published by upload-service, consumed by transcode-service and
 * catalog-service.
 * <p>
 * {@code duplicateOf} (optional, absent in events before dedup): the file's SHA-256 equals the one of an earlier
 * upload of the same owner, video {@code duplicateOf}; nothing was stored for this upload ({@code blobKey} is
 * that video's original) and no transcode follows: catalog-service gives the new video the earlier one's media
 * (see docs/architecture.md, "Shared media").
 * <p>
 * {@code replaces} (optional, absent in events before replace): the upload is the new file of that existing video
 * ({@code POST /api/videos/{id}/replace}); {@code videoId} is then a new media id, not a video: catalog-service
 * switches the replaced video to it once it is transcoded (see docs/architecture.md, "Replacing a video's file").
 */
public record VideoUploaded(UUID videoId, UUID ownerId, UUID uploadId, String fileName, String contentType,
        long sizeBytes, String sha256, String blobKey, String title, String description, String category,
        Instant uploadedAt, UUID duplicateOf, UUID replaces) {

    /** An upload of a new video (no replace). */
    public VideoUploaded(UUID videoId, UUID ownerId, UUID uploadId, String fileName, String contentType,
            long sizeBytes, String sha256, String blobKey, String title, String description, String category,
            Instant uploadedAt, UUID duplicateOf) {
        this(videoId, ownerId, uploadId, fileName, contentType, sizeBytes, sha256, blobKey, title, description,
                category, uploadedAt, duplicateOf, null);
    }

    /** An upload whose bytes were stored (no earlier upload of the owner had the same content). */
    public VideoUploaded(UUID videoId, UUID ownerId, UUID uploadId, String fileName, String contentType,
            long sizeBytes, String sha256, String blobKey, String title, String description, String category,
            Instant uploadedAt) {
        this(videoId, ownerId, uploadId, fileName, contentType, sizeBytes, sha256, blobKey, title, description,
                category, uploadedAt, null, null);
    }
}
