package dev.clipflow.upload.session.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies upload-service answers with. */
public final class UploadReplies {

    private UploadReplies() {
    }

    /** 201 of {@code POST /api/uploads}. */
    public record Created(UUID uploadId, UUID videoId, long chunkSize, int totalChunks, Instant expiresAt,
            Double storagePercentUsed, Boolean storageAlert) {
    }

    /**
     * 201 of {@code POST /internal/uploads}: a replacement's session; {@code videoId} is its new media id,
     * {@code tusUrl} (tus sessions) where the client sends its PATCHes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Replacement(UUID uploadId, UUID videoId, String protocol, long chunkSize, int totalChunks,
            long sizeBytes, Instant expiresAt, String tusUrl, Double storagePercentUsed, Boolean storageAlert) {
    }

    /** 200 of a chunk PUT. */
    public record ChunkProgress(int index, int uploadedChunks, int totalChunks, long bytesReceived, boolean complete) {
    }

    /** {@code GET /api/uploads/{id}}: enough to resume after any interruption. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(UUID uploadId, UUID videoId, String protocol, String state, String fileName, long sizeBytes,
            long chunkSize, int uploadedChunks, List<Integer> missingChunks, long bytesReceived, int totalChunks,
            Instant createdAt, Instant expiresAt, String failureCode, String failureReason) {
    }

    /** 202 of complete and direct upload. */
    public record Accepted(UUID videoId, UUID uploadId, String status) {
    }
}
