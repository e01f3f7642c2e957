package dev.clipflow.transcode.media;

import dev.clipflow.transcode.config.TranscodeConfig;

import java.time.Duration;
import java.util.Locale;

/**
 * What one job may cost: a source longer than {@code maxDuration}, with more than {@code maxPixels} per
 * picture or (about) more than {@code maxFrames} frames fails at once; each ffmpeg pass may run
 * {@code wallTimeBase + wallTimeFactor x duration} before it is killed and the job fails. Every failure
 * names the limit: a permanent failure, the same input would fail again.
 */
public record TranscodeLimits(Duration maxDuration, long maxPixels, long maxFrames, double wallTimeFactor,
        Duration wallTimeBase) {

    /** Frame rate assumed when the source does not tell its own. */
    private static final double UNKNOWN_RATE = 30;

    public static TranscodeLimits of(TranscodeConfig.Limits config) {
        return new TranscodeLimits(config.maxDuration(), config.maxPixels(), config.maxFrames(),
                config.wallTimeFactor(), config.wallTimeBase());
    }

    /** Throws a permanent {@link MediaException} naming the limit a source is beyond. */
    public void check(MediaInfo info) {
        if (info.durationSeconds() > maxDuration.toMillis() / 1000.0) {
            throw MediaException.permanent(String.format(Locale.ROOT,
                    "The video lasts %.1f s, longer than the limit of %d s.", info.durationSeconds(),
                    maxDuration.toSeconds()));
        }
        long pixels = (long) info.width() * info.height();
        if (pixels > maxPixels) {
            throw MediaException.permanent("The picture of " + info.width() + "x" + info.height()
                    + " pixels is larger than the limit of " + maxPixels + " pixels.");
        }
        double rate = info.frameRate() > 0 && Double.isFinite(info.frameRate()) ? info.frameRate() : UNKNOWN_RATE;
        long frames = Math.round(info.durationSeconds() * rate);
        if (frames > maxFrames) {
            throw MediaException.permanent("The video has about " + frames + " frames, more than the limit of "
                    + maxFrames + ".");
        }
    }

    /** How long an ffmpeg pass over {@code durationSeconds} of media may run. */
    public Duration wallTime(double durationSeconds) {
        double seconds = Math.max(0, durationSeconds);
        return wallTimeBase.plusMillis(Math.round(wallTimeFactor * seconds * 1000));
    }
}
