package dev.clipflow.transcode.media;

import java.util.List;

/**
 * The ffprobe arguments of the two probes (besides the input and Jaffree's JSON output format), so that tests
 * read what is asked without running ffprobe.
 */
public final class ProbeCommand {

    /** Streams and container: duration, codecs, size, rotation, frame rate (see {@link MediaInfo}). */
    public static final List<String> MEDIA = List.of("-show_streams", "-show_format");

    /** The first video stream's packets, time and flags only: its keyframes are those flagged {@code K}. */
    public static final List<String> KEYFRAMES = List.of("-select_streams", "v:0", "-show_packets", "-show_entries",
            "packet=pts_time,flags");

    private ProbeCommand() {
    }
}
