package dev.clipflow.transcode.media;

/**
 * Told of each rendition of a ladder as soon as its files are complete under the output folder,
 * before the rest of the ladder is done (the lowest rung first). Runs on the encoding thread: the
 * next pass starts when it returns.
 */
@FunctionalInterface
public interface RenditionListener {

    RenditionListener NONE = (rendition, frameRate) -> {
    };

    /** @param frameRate the ladder's output frame rate (FRAME-RATE of a master playlist) */
    void ready(LadderOutput.Rendition rendition, double frameRate);
}
