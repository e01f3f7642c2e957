package dev.clipflow.transcode.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the HLS renditions ffmpeg is writing (EVENT playlists, each segment renamed into place when
 * complete, each playlist rewritten atomically after a segment) and tells a {@link SegmentListener} of
 * every finished segment, lowest rendition first. A segment counts as finished once the playlist lists it
 * and its file exists under its final name.
 */
final class LiveLadder {

    /** Tells players of a growing rendition to start at its beginning, not near its live edge. */
    static final String START_AT_BEGINNING = "#EXT-X-START:TIME-OFFSET=0";

    private final Path hls;
    private final List<LadderOutput.Rendition> renditions;
    private final double frameRate;
    private final SegmentListener listener;
    private final int[] told;

    /** @param renditions the ladder, lowest first, with bitrates not known yet */
    LiveLadder(Path hls, List<LadderOutput.Rendition> renditions, double frameRate, SegmentListener listener) {
        this.hls = hls;
        this.renditions = renditions;
        this.frameRate = frameRate;
        this.listener = listener;
        this.told = new int[renditions.size()];
    }

    /** Tells the listener of the segments finished since the last poll. */
    void poll() {
        for (int i = 0; i < renditions.size(); i++) {
            LadderOutput.Rendition rendition = renditions.get(i);
            Path playlist = hls.resolve(rendition.name()).resolve("index.m3u8");
            List<String> lines;
            try {
                lines = Files.readAllLines(playlist);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Growing growing = growing(lines, playlist.getParent());
            if (growing.segments().size() <= told[i]) {
                continue;
            }
            List<Path> files = growing.segments().subList(told[i], growing.segments().size()).stream()
                    .map(s -> playlist.resolveSibling(s.uri())).toList();
            long[] bandwidth = HlsPlaylists.bandwidth(playlist.getParent(), growing.segments());
            listener.grown(new SegmentListener.Growth(new LadderOutput.Rendition(rendition.name(), rendition.width(),
                    rendition.height(), bandwidth[0], bandwidth[1], rendition.codecs()), frameRate, files,
                    growing.text(), growing.segments().size()));
            told[i] = growing.segments().size();
        }
    }

    /** What a playlist of ffmpeg's lists and what of it can be published: an EVENT playlist of the finished segments. */
    record Growing(List<HlsPlaylists.Segment> segments, String text) {
    }

    /**
     * The leading segments of an ffmpeg EVENT playlist whose files exist, and the playlist of exactly those (its
     * header, {@link #START_AT_BEGINNING}, no {@code EXT-X-ENDLIST}).
     */
    static Growing growing(List<String> lines, Path dir) {
        StringBuilder text = new StringBuilder();
        StringBuilder pending = new StringBuilder();
        List<HlsPlaylists.Segment> segments = new ArrayList<>();
        Double duration = null;
        boolean header = true;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.equals("#EXT-X-ENDLIST")) {
                continue;
            }
            if (line.startsWith("#EXTINF:")) {
                header = false;
                String value = line.substring(8);
                int comma = value.indexOf(',');
                duration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
            }
            if (header) {
                text.append(line).append('\n');
                if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) {
                    text.append(START_AT_BEGINNING).append('\n');
                }
                continue;
            }
            pending.append(line).append('\n');
            if (!line.startsWith("#")) {
                if (duration == null || !Files.isRegularFile(dir.resolve(line))) {
                    break;
                }
                segments.add(new HlsPlaylists.Segment(line, duration));
                text.append(pending);
                pending.setLength(0);
                duration = null;
            }
        }
        return new Growing(segments, text.toString());
    }
}
