package dev.clipflow.transcode.media;

import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command of a thumbnail, built without running anything: seek to {@code positionMillis} (before the
 * input, fast), then one JPEG of at most the configured height; with no time asked, the most representative of 12
 * frames from a quarter into the video (at most 1 s before its end).
 *
 * @param positionMillis where the input is read from
 * @param outputArguments the JPEG output's arguments, before its path
 */
public record ThumbnailCommand(long positionMillis, List<String> outputArguments) {

    /**
     * @param atSeconds the time asked for, or null for a representative frame
     * @throws MediaException (permanent) when {@code atSeconds} lies outside the video
     */
    public static ThumbnailCommand of(int thumbnailHeight, MediaInfo info, Double atSeconds) {
        double duration = info.durationSeconds();
        boolean representative = atSeconds == null;
        double at = representative ? Math.max(0, Math.min(duration * 0.25, duration - 1.0)) : atSeconds;
        if (at < 0 || at >= duration) {
            throw MediaException.permanent(String.format(Locale.ROOT,
                    "The thumbnail time %.2f s is outside the video (0 to %.2f s).", at, duration));
        }
        String scale = "scale=-2:'min(ih," + thumbnailHeight + ")':flags=bicubic";
        String filter = representative ? "thumbnail=n=12," + scale : scale;
        return new ThumbnailCommand((long) (at * 1000),
                List.of("-vf", filter, "-frames:v", "1", "-q:v", "3", "-update", "1", "-an"));
    }
}
