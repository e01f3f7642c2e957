package dev.clipflow.transcode.media;

import dev.clipflow.transcode.ladder.Rung;

import java.nio.file.Path;
import java.util.List;

/** The media operations of a job, each one or two ffmpeg/ffprobe processes on local files. */
public interface MediaTool {

    /** Duration, codecs, size, rotation; a file that is not a readable video fails permanently. */
    MediaInfo probe(Path file);

    /**
     * The MP4 (top rung), every HLS rendition with aligned keyframes, then the master playlist; all under
     * {@code outDir}, in one pass decoding the source once. While it runs, {@code segments} is told of each
     * segment as soon as it is finished (every rendition grows together, the lowest told first), so the
     * renditions can be published long before the ladder is done; at the end every media playlist is VOD.
     */
    LadderOutput encodeLadder(Path input, MediaInfo info, List<Rung> rungs, Path outDir, Progress progress,
            Abort abort, SegmentListener segments);

    /** {@link #encodeLadder(Path, MediaInfo, List, Path, Progress, Abort, SegmentListener)} telling no one. */
    default LadderOutput encodeLadder(Path input, MediaInfo info, List<Rung> rungs, Path outDir, Progress progress,
            Abort abort) {
        return encodeLadder(input, info, rungs, outDir, progress, abort, SegmentListener.NONE);
    }

    /** A JPEG at {@code atSeconds}, or from a representative frame when {@code atSeconds} is null. */
    void thumbnail(Path input, MediaInfo info, Double atSeconds, Path target, Abort abort);

    /**
     * Cuts {@code [start, end)} into {@code target}: stream copy when both cut points fall on
     * keyframes, a frame-accurate re-encode otherwise. Returns true when it was a stream copy.
     */
    boolean trim(Path input, MediaInfo info, double startSeconds, double endSeconds, Path target,
            Progress progress, Abort abort);

    /** Concatenates the inputs, normalising size, frame rate and audio (silence where a source has none). */
    void merge(List<Path> inputs, List<MediaInfo> infos, Path target, Progress progress, Abort abort);

    /** Presentation times of the video keyframes, ascending. */
    List<Double> keyframes(Path file);
}
