package dev.clipflow.transcode.media;

/**
 * What ffprobe tells of a file.
 *
 * @param width coded width of the first video stream
 * @param height coded height of the first video stream
 * @param rotation display rotation in degrees (0, 90, 180, 270), applied by ffmpeg when decoding
 * @param frameRate average frame rate, 0 when unknown
 * @param audioCodec null without audio
 */
public record MediaInfo(double durationSeconds, String formatName, String videoCodec, String audioCodec, int width,
        int height, int rotation, double frameRate, long sizeBytes) {

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Width as displayed (after rotation). */
    public int displayWidth() {
        return rotation % 180 == 0 ? width : height;
    }

    /** Height as displayed (after rotation). */
    public int displayHeight() {
        return rotation % 180 == 0 ? height : width;
    }
}
