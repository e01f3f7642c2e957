package dev.clipflow.upload.session.service;

import dev.clipflow.upload.session.entity.UploadSession;

import java.util.UUID;

/** A request to open an upload, whichever protocol it came through. */
public record NewUpload(UUID ownerId, UploadSession.Protocol protocol, String fileName, long size, Long chunkSize,
        String contentType, String sha256, String title, String description, String category, String tusMetadata) {
}
