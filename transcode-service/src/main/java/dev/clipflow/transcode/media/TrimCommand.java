package dev.clipflow.transcode.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command of a trim, built without running anything: a stream copy when both cut points fall on
 * keyframes (the end may also be the end of the video), a frame-accurate re-encode (x264 CRF 18, AAC 192k)
 * otherwise; the first video stream and the first audio stream, a faststart MP4.
 *
 * @param positionMillis where the input is read from (before the input: fast seeking)
 * @param copy whether the cut is a stream copy
 * @param outputArguments the MP4 output's arguments, before its path
 * @param lengthSeconds the length of the cut (the progress of the pass is measured against it)
 */
public record TrimCommand(long positionMillis, boolean copy, List<String> outputArguments, double lengthSeconds) {

    /** How far from a keyframe a cut point may lie and still count as on it. */
    static final double EPSILON = 0.002;

    /**
     * @param keyframes the source's video keyframe times (ffprobe)
     * @throws MediaException (permanent) when the range does not lie within the video
     */
    public static TrimCommand of(MediaInfo info, double startSeconds, double endSeconds, List<Double> keyframes) {
        double end = checkRange(info, startSeconds, endSeconds);
        boolean copy = onKeyframe(keyframes, startSeconds)
                && (end >= info.durationSeconds() - EPSILON || onKeyframe(keyframes, end));
        long startMillis = Math.round(startSeconds * 1000);
        long lengthMillis = Math.round((end - startSeconds) * 1000);
        List<String> args = new ArrayList<>(List.of("-t", String.format(Locale.ROOT, "%.3f", lengthMillis / 1000.0),
                "-map", "0:v:0"));
        if (info.hasAudio()) {
            args.addAll(List.of("-map", "0:a:0"));
        }
        if (copy) {
            args.addAll(List.of("-c", "copy", "-avoid_negative_ts", "make_zero"));
        } else {
            args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"));
            if (info.hasAudio()) {
                args.addAll(List.of("-c:a", "aac", "-b:a", "192k"));
            }
        }
        args.addAll(List.of("-movflags", "+faststart"));
        return new TrimCommand(startMillis, copy, List.copyOf(args), end - startSeconds);
    }

    /**
     * The end of the cut (the end asked for, at most the video's end).
     *
     * @throws MediaException (permanent) when the range does not lie within the video
     */
    public static double checkRange(MediaInfo info, double startSeconds, double endSeconds) {
        double end = Math.min(endSeconds, info.durationSeconds());
        if (startSeconds < 0 || startSeconds >= end) {
            throw MediaException.permanent(String.format(Locale.ROOT,
                    "The trim range %.3f-%.3f s does not lie within the video (0 to %.3f s).", startSeconds,
                    endSeconds, info.durationSeconds()));
        }
        return end;
    }

    private static boolean onKeyframe(List<Double> keyframes, double time) {
        if (time <= EPSILON) {
            return true;
        }
        return keyframes.stream().anyMatch(k -> Math.abs(k - time) <= EPSILON);
    }
}
