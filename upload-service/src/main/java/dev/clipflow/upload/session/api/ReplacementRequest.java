package dev.clipflow.upload.session.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/**
 * {@code POST /internal/uploads} (catalog-service, service token): open the upload of a new file for an existing video
 * of {@code ownerId}. {@code protocol}: {@code CHUNKED} (default) or {@code TUS}.
 */
public record ReplacementRequest(
        @NotNull UUID ownerId,
        @NotNull UUID replaces,
        @Size(max = 255) String fileName,
        @NotNull @Positive Long size,
        @Positive Long chunkSize,
        @Size(max = 200) String contentType,
        @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256,
        @Pattern(regexp = "^(CHUNKED|TUS)$", message = "must be CHUNKED or TUS") String protocol) {
}
