package dev.clipflow.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code transcode.requests}: work for the transcode workers. Any internal service may publish it.
 *
 * @param jobId optional; the worker creates one when absent
 * @param type what to do
 * @param videoId the video to transcode (TRANSCODE, THUMBNAIL) or the new video to produce (TRIM, MERGE)
 * @param sourceVideoIds the inputs of TRIM (one) and MERGE (two or more)
 * @param ownerId the user who owns the result
 * @param params type-specific parameters, e.g. {@code startSeconds}, {@code endSeconds}, {@code title},
 *        {@code atSeconds} (THUMBNAIL)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranscodeRequest(UUID jobId, Type type, UUID videoId, List<UUID> sourceVideoIds, UUID ownerId,
        Map<String, Object> params) {

    public enum Type {
        TRANSCODE, TRIM, MERGE, THUMBNAIL
    }
}
