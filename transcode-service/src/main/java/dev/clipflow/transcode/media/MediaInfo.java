package dev.clipflow.transcode.media;

/**
 * What ffprobe tells of a file.
 *
 * @param width coded width of the first video stream
 * @param height coded height of the first video stream
 * @param rotation display rotation in degrees (0, 90, 180, 270), applied by ffmpeg when decoding
 * @param frameRate average frame rate, 0 when unknown
 * @param audioCodec null without audio
 * @param sampleAspect pixel aspect ratio (1 for square pixels; 8:9 for anamorphic NTSC DV)
 */
public record MediaInfo(double durationSeconds, String formatName, String videoCodec, String audioCodec, int width,
        int height, int rotation, double frameRate, long sizeBytes, double sampleAspect) {

    public MediaInfo {
        sampleAspect = sampleAspect > 0 && Double.isFinite(sampleAspect) ? sampleAspect : 1;
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Width as displayed (square pixels, after rotation). */
    public int displayWidth() {
        return rotation % 180 == 0 ? squareWidth() : height;
    }

    /** Height as displayed (square pixels, after rotation). */
    public int displayHeight() {
        return rotation % 180 == 0 ? height : squareWidth();
    }

    private int squareWidth() {
        return Math.max(1, (int) Math.round(width * sampleAspect));
    }
}
