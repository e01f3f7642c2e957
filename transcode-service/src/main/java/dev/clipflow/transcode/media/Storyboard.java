package dev.clipflow.transcode.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seek-bar preview of a video (issue #20), planned without running anything: one JPEG sprite sheet of
 * {@code tiles} pictures in a grid of at most {@link #MAX_COLUMNS} columns, and a WebVTT file whose cues tile the
 * whole duration, each pointing at its picture with a relative URL ({@code storyboard.jpg#xywh=x,y,w,h}), as
 * players (Video.js, Vidstack, Plyr, JW Player) read Mux's {@code storyboard.vtt}.
 * <p>
 * The rule: tiles fit a {@value #TILE_SIZE}x{@value #TILE_SIZE} box (the display aspect kept, even sides); one
 * tile every {@code interval} = max({@value #MIN_INTERVAL} s, ceil(duration / {@value #MAX_TILES})) whole
 * seconds, so {@code tiles} = ceil(duration / interval) is never more than {@value #MAX_TILES}: a 10 s clip gets
 * 5 tiles, 3 min 90, 10 min 100 of 6 s, an hour 100 of 36 s. Tile {@code k} is the frame at {@code k x interval}
 * and its cue runs from there to the next tile's time (the last one to the end of the video).
 *
 * @param durationSeconds the video's duration (the last cue ends there)
 * @param interval seconds between two tiles
 * @param tiles how many tiles (and cues)
 * @param columns tiles per row of the sprite
 * @param rows rows of the sprite
 * @param tileWidth width of a tile in pixels
 * @param tileHeight height of a tile in pixels
 */
public record Storyboard(double durationSeconds, int interval, int tiles, int columns, int rows, int tileWidth,
        int tileHeight) {

    /** The longer side of a tile. */
    public static final int TILE_SIZE = 160;
    /** The shortest interval between two tiles, in seconds. */
    public static final int MIN_INTERVAL = 2;
    /** The most tiles of one video. */
    public static final int MAX_TILES = 100;
    /** The most tiles in a row of the sprite. */
    public static final int MAX_COLUMNS = 10;
    /** The sprite's name, which the cues' relative URLs name. */
    public static final String SPRITE = "storyboard.jpg";
    /** The WebVTT file's name. */
    public static final String VTT = "storyboard.vtt";

    /** One cue: {@code [start, end)} shows the rectangle {@code x,y,w,h} of the sprite. */
    public record Cue(double start, double end, int x, int y, int w, int h) {
    }

    /** The plan for a video of {@code durationSeconds} displayed at {@code width}x{@code height}. */
    public static Storyboard of(double durationSeconds, int width, int height) {
        if (!(durationSeconds > 0) || width < 1 || height < 1) {
            throw new IllegalArgumentException("No storyboard for a video without duration or picture");
        }
        int interval = Math.max(MIN_INTERVAL, (int) Math.ceil(durationSeconds / MAX_TILES - 1e-9));
        int tiles = Math.max(1, Math.min(MAX_TILES, (int) Math.ceil(durationSeconds / interval - 1e-9)));
        int columns = Math.min(MAX_COLUMNS, tiles);
        int rows = (tiles + columns - 1) / columns;
        int tileWidth = width >= height ? TILE_SIZE : even((double) TILE_SIZE * width / height);
        int tileHeight = width >= height ? even((double) TILE_SIZE * height / width) : TILE_SIZE;
        return new Storyboard(durationSeconds, interval, tiles, columns, rows, tileWidth, tileHeight);
    }

    /**
     * The filter chain of the ladder graph's extra branch: the frame at (or just before) each multiple of
     * {@code interval} ({@code round=up}: a slot takes the last frame not after its time), exactly {@code tiles}
     * of them, scaled to a tile, square pixels. The branch counts time from the first picture
     * ({@code setpts=PTS-STARTPTS}): when the picture starts after the sound (a re-encoded trim, AAC priming), fps
     * would otherwise round the first picture up into the second slot, shifting every tile by one and leaving a
     * clip shorter than the interval with no picture at all. The tiles leave the ladder pass one by one (a JPEG
     * each) and {@link #spriteArguments} lays them out afterwards: a {@code tile} filter in the pass itself would
     * hold its output back until the grid is full (often the end of the video), and ffmpeg reports no progress
     * for any output until every output has started.
     */
    public String filter() {
        return "setpts=PTS-STARTPTS,fps=1/" + interval + ":round=up,trim=end_frame=" + tiles + ",scale=" + tileWidth
                + ':' + tileHeight + ":flags=bilinear,setsar=1";
    }

    /**
     * The arguments of the second, small ffmpeg run that lays the pass's tiles ({@code tiles}, an image2 pattern
     * such as {@code .../%03d.jpg}) out in the grid as one JPEG {@code sprite} (spare cells stay black).
     */
    public List<String> spriteArguments(Path tiles, Path sprite) {
        return List.of("-f", "image2", "-framerate", "1", "-start_number", "1", "-i", tiles.toString(), "-vf",
                "tile=" + columns + 'x' + rows, "-c:v", "mjpeg", "-q:v", "5", "-frames:v", "1", "-update", "1",
                sprite.toString());
    }

    /** Width of the sprite in pixels. */
    public int spriteWidth() {
        return columns * tileWidth;
    }

    /** Height of the sprite in pixels. */
    public int spriteHeight() {
        return rows * tileHeight;
    }

    /** The cues, in order: the first starts at 0, each ends where the next starts, the last at the duration. */
    public List<Cue> cues() {
        List<Cue> cues = new ArrayList<>();
        for (int k = 0; k < tiles; k++) {
            double start = (double) k * interval;
            double end = k == tiles - 1 ? durationSeconds : (double) (k + 1) * interval;
            cues.add(new Cue(start, end, (k % columns) * tileWidth, (k / columns) * tileHeight, tileWidth,
                    tileHeight));
        }
        return cues;
    }

    /** The WebVTT file: each cue's text is the sprite's relative URL with a {@code #xywh=} media fragment. */
    public String vtt() {
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (Cue cue : cues()) {
            vtt.append('\n').append(timestamp(cue.start())).append(" --> ").append(timestamp(cue.end())).append('\n')
                    .append(SPRITE).append("#xywh=").append(cue.x()).append(',').append(cue.y()).append(',')
                    .append(cue.w()).append(',').append(cue.h()).append('\n');
        }
        return vtt.toString();
    }

    /** {@code hh:mm:ss.mmm}. */
    static String timestamp(double seconds) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }

    private static int even(double value) {
        int rounded = (int) Math.round(value);
        return Math.max(2, rounded - rounded % 2);
    }
}
