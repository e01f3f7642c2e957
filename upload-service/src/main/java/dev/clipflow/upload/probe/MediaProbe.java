package dev.clipflow.upload.probe;

import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/** Tells whether a file is a video a player can use, before the platform accepts it. */
public interface MediaProbe {

    /**
     * @param video whether the file holds a video stream in a media container
     * @param reason a sentence for the owner when it does not
     */
    record Result(boolean video, String reason, String format, Double durationSeconds, Integer width, Integer height) {

        public static Result rejected(String reason) {
            return new Result(false, reason, null, null, null, null);
        }
    }

    Result probe(Path file);

    /** The same for a file stored as local parts, read in order (the first part alone when there is one). */
    default Result probe(java.util.List<Path> parts) {
        if (parts.size() != 1) {
            throw new UnsupportedOperationException("This probe reads single files");
        }
        return probe(parts.get(0));
    }

    /**
     * The same for a file read in place (e.g. from GCS through ranged reads): only the parts the probe
     * needs are read, nothing is copied to local disk.
     */
    Result probe(SeekableByteChannel source, String name);
}
