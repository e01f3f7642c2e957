package dev.clipflow.transcode.media;

/** The lowest H.264 level that carries a frame size and rate, and the RFC 6381 codec string for it. */
public final class H264Level {

    // level*10, max macroblocks per frame, max macroblocks per second
    private static final int[][] LEVELS = {
            {30, 1620, 40500}, {31, 3600, 108000}, {32, 5120, 216000}, {40, 8192, 245760},
            {42, 8704, 522240}, {50, 22080, 589824}, {51, 36864, 983040}, {52, 36864, 2073600},
            {60, 139264, 4177920}};

    private H264Level() {
    }

    /** e.g. 31 for 1280x720 at 30 fps. */
    public static int of(int width, int height, double fps) {
        long frame = (long) Math.ceil(width / 16.0) * (long) Math.ceil(height / 16.0);
        double perSecond = frame * Math.max(fps, 1);
        for (int[] level : LEVELS) {
            if (frame <= level[1] && perSecond <= level[2]) {
                return level[0];
            }
        }
        return 62;
    }

    /** ffmpeg's {@code -level} value, e.g. {@code 3.1}. */
    public static String option(int level) {
        return (level / 10) + "." + (level % 10);
    }

    /** {@code avc1.64001f}: High profile, no constraint flags, the level in hex. */
    public static String highProfileCodec(int level) {
        return String.format("avc1.6400%02x", level);
    }
}
