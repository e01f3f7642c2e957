package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code video.uploaded}: an upload finished, was verified and probed as a video; the original is
 * stored at {@code blobKey}. Published by upload-service, consumed by transcode-service and
 * catalog-service.
 */
public record VideoUploaded(UUID videoId, UUID ownerId, UUID uploadId, String fileName, String contentType,
        long sizeBytes, String sha256, String blobKey, String title, String description, String category,
        Instant uploadedAt) {
}
