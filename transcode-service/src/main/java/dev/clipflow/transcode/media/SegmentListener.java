package dev.clipflow.transcode.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Told of each HLS segment as soon as ffmpeg has finished it, while the ladder is still being encoded, so a
 * caller can store and announce the renditions before the ladder is done. Called on the encoding thread,
 * five times a second while ffmpeg runs (ffmpeg goes on meanwhile); an exception stops ffmpeg and fails
 * the ladder with it.
 */
@FunctionalInterface
public interface SegmentListener {

    SegmentListener NONE = growth -> {
    };

    /**
     * One rendition grew: {@code segments} are its files finished since the last call (in playlist order), and
     * {@code playlist} its media playlist listing every segment finished so far (these included) as an
     * {@code EVENT} playlist without {@code EXT-X-ENDLIST}.
     *
     * @param rendition name, size and codecs, with the bitrates of the segments so far
     * @param frameRate the ladder's output frame rate (FRAME-RATE of a master playlist)
     * @param listed how many segments {@code playlist} lists
     */
    record Growth(LadderOutput.Rendition rendition, double frameRate, List<Path> segments, String playlist,
            int listed) {
    }

    void grown(Growth growth);
}
