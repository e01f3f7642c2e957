package dev.clipflow.upload.session.service;

import dev.clipflow.upload.session.entity.UploadSession;

import java.util.UUID;

/**
 * A request to open an upload, whichever protocol it came through.
 *
 * @param replaces the video whose file the upload replaces (asked by catalog-service), or null for a new video
 */
public record NewUpload(UUID ownerId, UploadSession.Protocol protocol, String fileName, long size, Long chunkSize,
        String contentType, String sha256, String title, String description, String category, String tusMetadata,
        UUID replaces) {

    /** The upload of a new video. */
    public NewUpload(UUID ownerId, UploadSession.Protocol protocol, String fileName, long size, Long chunkSize,
            String contentType, String sha256, String title, String description, String category,
            String tusMetadata) {
        this(ownerId, protocol, fileName, size, chunkSize, contentType, sha256, title, description, category,
                tusMetadata, null);
    }
}
