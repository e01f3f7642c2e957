package dev.clipflow.catalog.media;

import dev.clipflow.catalog.video.Video;

import java.util.List;
import java.util.Locale;

/**
 * The master playlist of a video still being transcoded: one variant per rendition stored so far, in the
 * form of the transcoder's final master (relative URIs {@code <name>/index.m3u8}), so a player switches to
 * the final one without a change of URIs.
 */
final class EarlyMaster {

    private EarlyMaster() {
    }

    static String text(List<Video.ReadyRendition> renditions) {
        StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Video.ReadyRendition r : renditions) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth())
                    .append(",AVERAGE-BANDWIDTH=").append(r.averageBandwidth())
                    .append(",RESOLUTION=").append(r.width()).append('x').append(r.height())
                    .append(",CODECS=\"").append(r.codecs()).append('"');
            if (r.frameRate() > 0) {
                out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", r.frameRate()));
            }
            out.append('\n').append(r.name()).append("/index.m3u8\n");
        }
        return out.toString();
    }
}
