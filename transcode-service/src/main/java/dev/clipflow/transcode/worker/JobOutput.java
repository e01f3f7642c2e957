package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.VideoTranscoded;

/**
 * What a finished job stored: a transcode's outputs ({@code video.transcoded}), or a THUMBNAIL job's new
 * thumbnail and its size ({@code video.stored}).
 */
public record JobOutput(VideoTranscoded transcoded, Long thumbnailBytes) {

    public static JobOutput transcoded(VideoTranscoded result) {
        return new JobOutput(result, null);
    }

    public static JobOutput thumbnail(long bytes) {
        return new JobOutput(null, bytes);
    }
}
