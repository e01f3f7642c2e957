package dev.clipflow.catalog.media;

import java.util.Locale;

/** Content types of the files the catalog serves, by name. */
public final class MediaTypes {

    public static final String MP4 = "video/mp4";
    public static final String M3U8 = "application/vnd.apple.mpegurl";
    public static final String M4A = "audio/mp4";

    private MediaTypes() {
    }

    public static String of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".m3u8")) {
            return M3U8;
        }
        if (lower.endsWith(".ts")) {
            return "video/mp2t";
        }
        if (lower.endsWith(".m4s")) {
            return "video/iso.segment";
        }
        if (lower.endsWith(".mp4") || lower.endsWith(".m4v")) {
            return MP4;
        }
        if (lower.endsWith(".m4a")) {
            return "audio/mp4";
        }
        if (lower.endsWith(".aac")) {
            return "audio/aac";
        }
        if (lower.endsWith(".vtt")) {
            return "text/vtt";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    public static boolean isPlaylist(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".m3u8");
    }
}
