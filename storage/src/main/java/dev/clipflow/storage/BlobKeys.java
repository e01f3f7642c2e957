package dev.clipflow.storage;

import java.util.UUID;

/**
 * The one layout of keys in the blob store. Outputs of a video live under deterministic keys, so a
 * retried transcode overwrites instead of duplicating, and deleting a video is deleting two prefixes.
 * <pre>
 *   originals/{videoId}/source                 the uploaded file as received
 *   videos/{videoId}/video.mp4                 progressive MP4 (H.264/AAC, faststart)
 *   videos/{videoId}/thumbnail.jpg             thumbnail (generated or replaced by the owner)
 *   videos/{videoId}/storyboard.vtt            seek-bar previews: WebVTT cues naming rectangles of
 *   videos/{videoId}/storyboard.jpg            this sprite sheet (by the relative URL storyboard.jpg)
 *   videos/{videoId}/audio.m4a                 the audio alone (AAC in MP4, faststart); none for a silent source
 *   videos/{videoId}/hls/master.m3u8           HLS master playlist
 *   videos/{videoId}/hls/{rendition}/index.m3u8 and segments beside it
 *   videos/{videoId}/hls/audio/index.m3u8      the audio-only variant (AAC), beside the renditions, when the source has audio
 * </pre>
 */
public final class BlobKeys {

    private BlobKeys() {
    }

    public static String original(UUID videoId) {
        return "originals/" + videoId + "/source";
    }

    public static String originalPrefix(UUID videoId) {
        return "originals/" + videoId + "/";
    }

    public static String videoPrefix(UUID videoId) {
        return "videos/" + videoId + "/";
    }

    public static String mp4(UUID videoId) {
        return videoPrefix(videoId) + "video.mp4";
    }

    public static String thumbnail(UUID videoId) {
        return videoPrefix(videoId) + "thumbnail.jpg";
    }

    /** The storyboard's WebVTT file; its cues name {@link #storyboardSprite} by the relative URL {@code storyboard.jpg}. */
    public static String storyboardVtt(UUID videoId) {
        return videoPrefix(videoId) + "storyboard.vtt";
    }

    /** The storyboard's sprite sheet (JPEG). */
    public static String storyboardSprite(UUID videoId) {
        return videoPrefix(videoId) + "storyboard.jpg";
    }

    /** The audio-only download (AAC in MP4) of a video whose source has audio. */
    public static String audio(UUID videoId) {
        return videoPrefix(videoId) + "audio.m4a";
    }

    public static String hlsPrefix(UUID videoId) {
        return videoPrefix(videoId) + "hls/";
    }

    public static String hlsMaster(UUID videoId) {
        return hlsPrefix(videoId) + "master.m3u8";
    }

    /** A file of the HLS tree by its path relative to the master playlist, e.g. {@code 720p/index.m3u8}. */
    public static String hls(UUID videoId, String relativePath) {
        return hlsPrefix(videoId) + validate(relativePath);
    }

    /** Rejects keys that could escape the store or address something odd. */
    public static String validate(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("//")
                || key.length() > 1024) {
            throw new IllegalArgumentException("Invalid blob key: " + key);
        }
        for (String part : key.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("Invalid blob key: " + key);
            }
        }
        return key;
    }
}
