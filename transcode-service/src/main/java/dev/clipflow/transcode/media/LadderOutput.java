package dev.clipflow.transcode.media;

import java.nio.file.Path;
import java.util.List;

/**
 * What one ladder pass wrote under its output folder: {@code video.mp4}, {@code thumbnail.jpg},
 * {@code hls/} (master playlist plus one folder per rendition) and, unless turned off, the storyboard
 * ({@code storyboard.jpg} and {@code storyboard.vtt}, see {@link Storyboard}); for a source with audio also
 * {@code audio.m4a} and the audio-only variant {@code hls/audio/}.
 */
public record LadderOutput(Path dir, List<Rendition> renditions, String codecs) {

    /**
     * @param bandwidth peak segment bitrate in bit/s, as BANDWIDTH in the master playlist
     * @param averageBandwidth mean bitrate in bit/s
     */
    public record Rendition(String name, int width, int height, long bandwidth, long averageBandwidth,
            String codecs) {
    }

    public Path mp4() {
        return dir.resolve("video.mp4");
    }

    public Path thumbnail() {
        return dir.resolve("thumbnail.jpg");
    }

    /** The audio-only download; it exists only when the source has audio. */
    public Path audio() {
        return dir.resolve(LadderCommand.AUDIO_FILE);
    }

    public Path hls() {
        return dir.resolve("hls");
    }

    public Path storyboardSprite() {
        return dir.resolve(Storyboard.SPRITE);
    }

    public Path storyboardVtt() {
        return dir.resolve(Storyboard.VTT);
    }

    /** Whether the pass made a storyboard. */
    public boolean hasStoryboard() {
        return java.nio.file.Files.isRegularFile(storyboardVtt());
    }
}
