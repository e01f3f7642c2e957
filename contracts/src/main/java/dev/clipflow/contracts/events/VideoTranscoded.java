package dev.clipflow.contracts.events;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.transcoded}: every output of a video is stored. Keys are storage keys of the shared
 * blob store; {@code totalBytes} is the size of all outputs together (what the video occupies
 * beside its original).
 */
public record VideoTranscoded(UUID jobId, UUID videoId, UUID ownerId, double durationSeconds, int width,
        int height, String videoCodec, String audioCodec, String mp4Key, long mp4SizeBytes, String hlsMasterKey,
        String thumbnailKey, List<Rendition> renditions, long totalBytes) {

    /** One rung of the HLS ladder. */
    public record Rendition(String name, int width, int height, long bandwidth, String playlistKey) {
    }
}
