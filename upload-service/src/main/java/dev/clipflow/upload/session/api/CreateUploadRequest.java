package dev.clipflow.upload.session.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** {@code POST /api/uploads}: what the client is about to upload. */
public record CreateUploadRequest(
        @NotBlank @Size(max = 255) String fileName,
        @NotNull @Positive Long size,
        @Positive Long chunkSize,
        @Size(max = 200) String contentType,
        @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256,
        @Size(max = 200) String title,
        @Size(max = 5000) String description,
        @Size(max = 100) String category) {
}
