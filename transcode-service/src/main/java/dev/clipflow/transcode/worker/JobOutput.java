package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.VideoTranscoded;

/**
 * What a finished job stored: a transcode's outputs ({@code video.transcoded}) and its storyboard's size (a
 * {@code video.stored} of kind storyboard; null without one), or a THUMBNAIL job's new thumbnail and its size
 * ({@code video.stored}).
 */
public record JobOutput(VideoTranscoded transcoded, Long thumbnailBytes, Long storyboardBytes) {

    public static JobOutput transcoded(VideoTranscoded result) {
        return new JobOutput(result, null, null);
    }

    /** A transcode's outputs with the bytes of its storyboard (null: it made none). */
    public static JobOutput transcoded(VideoTranscoded result, Long storyboardBytes) {
        return new JobOutput(result, null, storyboardBytes);
    }

    public static JobOutput thumbnail(long bytes) {
        return new JobOutput(null, bytes, null);
    }
}
