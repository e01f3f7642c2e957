package dev.clipflow.catalog.media;

import dev.clipflow.catalog.video.Video;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A video's captions in its HLS tree: the master playlist gains one {@code EXT-X-MEDIA} of the subtitles group
 * {@code subs} per language and {@code SUBTITLES="subs"} on every variant; each language is a subtitles media
 * playlist {@code subs/{lang}.m3u8} with one WebVTT segment covering the whole video, {@code subs/{lang}.vtt}
 * (the caption file itself). Self-contained: it rewrites whatever master the transcoder wrote.
 */
public final class SubtitleGroup {

    static final String PREFIX = "subs/";

    private SubtitleGroup() {
    }

    /** The master with the subtitles group added (unchanged when there are no captions). */
    public static String master(String master, List<Video.CaptionTrack> captions) {
        if (captions == null || captions.isEmpty()) {
            return master;
        }
        StringBuilder media = new StringBuilder();
        Set<String> names = new HashSet<>();
        for (Video.CaptionTrack track : captions) {
            String name = names.add(track.name()) ? track.name() : track.name() + " (" + track.lang() + ")";
            media.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"").append(name.replace("\"", "'"))
                    .append("\",LANGUAGE=\"").append(track.lang()).append("\",DEFAULT=NO,AUTOSELECT=YES,URI=\"")
                    .append(PREFIX).append(track.lang()).append(".m3u8\"\n");
        }
        StringBuilder out = new StringBuilder();
        boolean added = false;
        for (String line : master.split("\n", -1)) {
            String stripped = line.strip();
            if (stripped.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES")) {
                continue; // the transcoder's own, if it ever writes one: ours replace it
            }
            if (stripped.startsWith("#EXT-X-STREAM-INF:")) {
                if (!added) {
                    out.append(media);
                    added = true;
                }
                out.append(stripped.replaceAll(",SUBTITLES=\"[^\"]*\"", "")).append(",SUBTITLES=\"subs\"\n");
            } else if (!line.isEmpty() || out.length() > 0) {
                out.append(line).append('\n');
            }
        }
        String text = out.toString();
        while (text.endsWith("\n\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return added ? text : master;
    }

    /** The subtitles media playlist of one language: its whole WebVTT file as the one segment. */
    public static String playlist(String lang, double durationSeconds) {
        double duration = Math.max(durationSeconds, 0.001);
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + (long) Math.ceil(duration)
                + "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:"
                + String.format(Locale.ROOT, "%.3f", duration) + ",\n" + lang + ".vtt\n#EXT-X-ENDLIST\n";
    }
}
