package dev.clipflow.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * {@code video.failed}: a video cannot be made playable.
 *
 * @param stage where it failed: UPLOAD (probe rejected it), TRANSCODE, TRIM, MERGE
 * @param reason a clear sentence for the owner, never a stack trace
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoFailed(UUID jobId, UUID videoId, UUID ownerId, String stage, String reason) {
}
