package dev.clipflow.transcode.media;

/** Receives the progress of a media step as a fraction from 0 to 1. */
@FunctionalInterface
public interface Progress {

    Progress NONE = fraction -> {
    };

    void update(double fraction);

    /** The same sink mapped onto the part {@code [from, to]} of a longer job. */
    default Progress range(double from, double to) {
        return fraction -> update(from + (to - from) * Math.max(0, Math.min(1, fraction)));
    }
}
