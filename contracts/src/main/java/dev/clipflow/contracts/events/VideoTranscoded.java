package dev.clipflow.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.transcoded}: every output of a video is stored. Keys are storage keys of the shared
 * blob store; {@code totalBytes} is the size of all outputs together (what the video occupies
 * beside its original: MP4, thumbnail and the HLS tree), {@code thumbnailSizeBytes} the thumbnail's
 * part of it, so the HLS renditions take {@code totalBytes - mp4SizeBytes - thumbnailSizeBytes}.
 * {@code originalSizeBytes} is set when the job stored the video's original itself (the result of a
 * trim or merge); an upload's original was counted by upload-service. {@code storyboardKey} names the storyboard's
 * WebVTT file (its sprite is {@code storyboard.jpg} beside it) when the transcode made one; its bytes are not in
 * {@code totalBytes} but in a {@code video.stored} of kind {@code storyboard} sent with this event.
 * {@code audioKey}: the audio-only download (AAC in MP4), null when the source has no audio; like the
 * storyboard's, its bytes are not in {@code totalBytes} but in a {@code video.stored} of kind {@code audio} sent
 * with this event (the audio-only HLS variant is part of the HLS tree and counted there).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoTranscoded(UUID jobId, UUID videoId, UUID ownerId, double durationSeconds, int width,
        int height, String videoCodec, String audioCodec, String mp4Key, long mp4SizeBytes, String hlsMasterKey,
        String thumbnailKey, List<Rendition> renditions, long totalBytes, Long thumbnailSizeBytes,
        Long originalSizeBytes, String storyboardKey, String audioKey) {

    /** Without the audio-only download (events of older transcoders; a source without audio). */
    public VideoTranscoded(UUID jobId, UUID videoId, UUID ownerId, double durationSeconds, int width, int height,
            String videoCodec, String audioCodec, String mp4Key, long mp4SizeBytes, String hlsMasterKey,
            String thumbnailKey, List<Rendition> renditions, long totalBytes, Long thumbnailSizeBytes,
            Long originalSizeBytes, String storyboardKey) {
        this(jobId, videoId, ownerId, durationSeconds, width, height, videoCodec, audioCodec, mp4Key, mp4SizeBytes,
                hlsMasterKey, thumbnailKey, renditions, totalBytes, thumbnailSizeBytes, originalSizeBytes,
                storyboardKey, null);
    }

    /** Without a storyboard nor the audio-only download. */
    public VideoTranscoded(UUID jobId, UUID videoId, UUID ownerId, double durationSeconds, int width, int height,
            String videoCodec, String audioCodec, String mp4Key, long mp4SizeBytes, String hlsMasterKey,
            String thumbnailKey, List<Rendition> renditions, long totalBytes, Long thumbnailSizeBytes,
            Long originalSizeBytes) {
        this(jobId, videoId, ownerId, durationSeconds, width, height, videoCodec, audioCodec, mp4Key, mp4SizeBytes,
                hlsMasterKey, thumbnailKey, renditions, totalBytes, thumbnailSizeBytes, originalSizeBytes, null, null);
    }

    /** Without the size breakdown (events of older transcoders; tests that do not care). */
    public VideoTranscoded(UUID jobId, UUID videoId, UUID ownerId, double durationSeconds, int width, int height,
            String videoCodec, String audioCodec, String mp4Key, long mp4SizeBytes, String hlsMasterKey,
            String thumbnailKey, List<Rendition> renditions, long totalBytes) {
        this(jobId, videoId, ownerId, durationSeconds, width, height, videoCodec, audioCodec, mp4Key, mp4SizeBytes,
                hlsMasterKey, thumbnailKey, renditions, totalBytes, null, null, null, null);
    }

    /** One rung of the HLS ladder. */
    public record Rendition(String name, int width, int height, long bandwidth, String playlistKey) {
    }
}
