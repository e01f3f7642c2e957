package dev.clipflow.catalog.video.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoStatus;

import java.util.List;
import java.util.UUID;

/**
 * One event of a video's live stream ({@code GET /api/videos/{id}/events}): the SSE event name is
 * {@code type}, the data this record as JSON.
 *
 * @param type {@code snapshot} (first event of every connection: the video as it is), {@code progress}
 *        (transcode percent and ETA), {@code rendition_ready} (a rendition plays before the ladder is done),
 *        {@code status} (READY or FAILED) or {@code deleted}
 * @param etaSeconds the transcoder's estimate of the seconds left (progress events), or null
 * @param renditions the renditions that play now (all of them once READY)
 * @param rendition the rendition that became ready (rendition_ready events)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoUpdate(String type, UUID videoId, VideoStatus status, int progress, Integer etaSeconds,
        boolean playable, List<String> renditions, String rendition, String failureReason) {

    public static final String SNAPSHOT = "snapshot";
    public static final String PROGRESS = "progress";
    public static final String RENDITION_READY = "rendition_ready";
    public static final String STATUS = "status";
    public static final String DELETED = "deleted";

    private static final int MAX_REASON = 1000;

    public static VideoUpdate of(String type, Video video, Integer etaSeconds, String rendition) {
        List<String> names;
        if (video.isReady()) {
            names = video.renditions == null ? List.of() : video.renditions.stream().map(Video.Rendition::name).toList();
        } else {
            names = video.readyRenditions == null ? List.of()
                    : video.readyRenditions.stream().map(Video.ReadyRendition::name).toList();
        }
        String reason = video.failureReason == null || video.failureReason.length() <= MAX_REASON ? video.failureReason
                : video.failureReason.substring(0, MAX_REASON);
        return new VideoUpdate(type, video.id, video.status, video.progress, etaSeconds, video.isPlayable(), names,
                rendition, reason);
    }

    public static VideoUpdate deleted(UUID videoId) {
        return new VideoUpdate(DELETED, videoId, null, 0, null, false, List.of(), null, null);
    }
}
