package dev.clipflow.transcode.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads media playlists and writes the master playlist of a ladder. */
public final class HlsPlaylists {

    /** A segment of a media playlist: its URI (relative to the playlist) and duration. */
    public record Segment(String uri, double durationSeconds) {
    }

    private HlsPlaylists() {
    }

    public static List<Segment> segments(Path playlist) {
        try {
            List<String> lines = Files.readAllLines(playlist);
            java.util.ArrayList<Segment> segments = new java.util.ArrayList<>();
            Double duration = null;
            for (String raw : lines) {
                String line = raw.trim();
                if (line.startsWith("#EXTINF:")) {
                    String value = line.substring(8);
                    int comma = value.indexOf(',');
                    duration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
                } else if (!line.isEmpty() && !line.startsWith("#") && duration != null) {
                    segments.add(new Segment(line, duration));
                    duration = null;
                }
            }
            return segments;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Peak and average bitrate (bit/s) of a media playlist's segments, from their sizes. */
    public static long[] bandwidth(Path playlist) {
        return bandwidth(playlist.getParent(), segments(playlist));
    }

    /** Peak and average bitrate (bit/s) of {@code segments}, files under {@code dir}. */
    public static long[] bandwidth(Path dir, List<Segment> segments) {
        double peak = 0;
        double bits = 0;
        double seconds = 0;
        for (Segment segment : segments) {
            try {
                long size = Files.size(dir.resolve(segment.uri()));
                double duration = Math.max(segment.durationSeconds(), 0.1);
                peak = Math.max(peak, size * 8.0 / duration);
                bits += size * 8.0;
                seconds += segment.durationSeconds();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long average = seconds > 0 ? (long) Math.ceil(bits / seconds) : (long) Math.ceil(peak);
        return new long[] {Math.max(1, (long) Math.ceil(peak)), Math.max(1, average)};
    }

    /**
     * Makes a finished EVENT playlist of ffmpeg's the VOD playlist ffmpeg writes with {@code hls_playlist_type=vod}
     * (the two differ in that one tag only); fails when ffmpeg did not end the playlist.
     */
    public static void endAsVod(Path playlist) {
        try {
            String text = Files.readString(playlist);
            if (!text.contains("\n#EXT-X-ENDLIST") || !text.contains("\n#EXT-X-PLAYLIST-TYPE:EVENT\n")) {
                throw new IllegalStateException("Not a finished EVENT playlist: " + playlist.getFileName());
            }
            Files.writeString(playlist, text.replace("\n#EXT-X-PLAYLIST-TYPE:EVENT\n", "\n#EXT-X-PLAYLIST-TYPE:VOD\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The master playlist text: one variant per rendition, relative URIs {@code <name>/index.m3u8}. */
    public static String master(List<LadderOutput.Rendition> renditions, double frameRate) {
        return master(renditions, frameRate, null);
    }

    /** The AAC-LC codec string of the audio-only variant (RFC 6381). */
    public static final String AAC_LC = "mp4a.40.2";

    /**
     * The same with, when {@code audioOnly} is given (peak and average bitrate of the audio-only variant, bit/s),
     * an audio-only variant last ({@code audio/index.m3u8}): {@code CODECS="mp4a.40.2"} only, no RESOLUTION or
     * FRAME-RATE (RFC 8216 4.3.4.2: those describe video), so a player that has to (a slow network, background
     * playback) falls back to it; listed after the video variants, which players start with.
     */
    public static String master(List<LadderOutput.Rendition> renditions, double frameRate, long[] audioOnly) {
        StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (LadderOutput.Rendition r : renditions) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth())
                    .append(",AVERAGE-BANDWIDTH=").append(r.averageBandwidth())
                    .append(",RESOLUTION=").append(r.width()).append('x').append(r.height())
                    .append(",CODECS=\"").append(r.codecs()).append('"');
            if (frameRate > 0) {
                out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", frameRate));
            }
            out.append('\n').append(r.name()).append("/index.m3u8\n");
        }
        if (audioOnly != null) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(audioOnly[0]).append(",AVERAGE-BANDWIDTH=")
                    .append(audioOnly[1]).append(",CODECS=\"").append(AAC_LC).append("\"\n")
                    .append(LadderCommand.AUDIO_RENDITION).append("/index.m3u8\n");
        }
        return out.toString();
    }
}
