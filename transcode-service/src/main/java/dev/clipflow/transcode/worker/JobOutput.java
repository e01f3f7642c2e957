package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.VideoTranscoded;

/**
 * What a finished job stored: a transcode's outputs ({@code video.transcoded}), its storyboard's size (a
 * {@code video.stored} of kind storyboard; null without one) and its audio-only download's size (a
 * {@code video.stored} of kind audio; 0: the source has no audio), or a THUMBNAIL job's new thumbnail and its
 * size ({@code video.stored}).
 */
public record JobOutput(VideoTranscoded transcoded, Long thumbnailBytes, Long storyboardBytes, Long audioBytes) {

    public static JobOutput transcoded(VideoTranscoded result) {
        return new JobOutput(result, null, null, null);
    }

    /**
     * A transcode's outputs with the bytes of its storyboard (null: it made none) and of its audio-only download
     * (0: the source has no audio).
     */
    public static JobOutput transcoded(VideoTranscoded result, Long storyboardBytes, long audioBytes) {
        return new JobOutput(result, null, storyboardBytes, audioBytes);
    }

    public static JobOutput thumbnail(long bytes) {
        return new JobOutput(null, bytes, null, null);
    }
}
