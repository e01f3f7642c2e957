package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.Visibility;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A video as clients see it (the contract's Video JSON). URLs are null until there is something to fetch.
 * {@code hlsUrl} of a READY video names its media root ({@code .../hls/r/{root}/master.m3u8}), so players holding its
 * playlists keep the media they started with when the file is replaced. {@code playable}: HLS plays ({@code hlsUrl} is set): the video is READY, or still PROCESSING with the
 * renditions listed in {@code renditions} already playing (the lowest first). Each rendition says whether it is
 * {@code complete}: false while the transcoder still adds segments to it (it plays what is encoded so far).
 * {@code captions}: one per language, each with the URL of its WebVTT file. {@code storyboardUrl}: the seek-bar
 * previews' WebVTT file (cues naming rectangles of {@code storyboard.jpg} beside it), null until READY or when the
 * transcode made none. {@code audioUrl}: the audio-only download (AAC in MP4, {@code .m4a}) of a READY video whose
 * source has audio, else null. {@code replace}: the state of the last replace of the file ({@code POST .../replace}),
 * null when none was asked or the last one switched.
 */
public record VideoView(UUID id, UUID ownerId, String title, String description, String category,
        Visibility visibility, String fileName, long sizeBytes, VideoStatus status, int progress,
        Double durationSeconds, Integer width, Integer height, List<Rendition> renditions,
        String thumbnailUrl, String streamUrl, String hlsUrl, Instant createdAt, String failureReason,
        boolean playable, List<Caption> captions, String storyboardUrl, String audioUrl, Replace replace) {

    /** The storyboard's path under a video's base; the sprite its cues name is {@link #STORYBOARD_SPRITE} beside it. */
    public static final String STORYBOARD_VTT = "storyboard.vtt";

    /** The storyboard's sprite sheet path under a video's base. */
    public static final String STORYBOARD_SPRITE = "storyboard.jpg";

    /** The audio-only download's path under a video's base. */
    public static final String AUDIO_FILE = "audio.m4a";

    /**
     * A replace of the file: {@code PENDING} while the new file is uploaded and transcoded (the video plays its current
     * file meanwhile), {@code FAILED} with the reason when it failed (the video kept its file).
     */
    public record Replace(String status, String failureReason) {

        static Replace of(Video video) {
            if (video.replacing != null) {
                return new Replace("PENDING", null);
            }
            return video.replaceFailureReason != null ? new Replace("FAILED", video.replaceFailureReason) : null;
        }
    }

    /** A caption track as clients see it. */
    public record Caption(String lang, String name, String url) {
    }

    /** The view with URLs under {@code base} (e.g. {@code https://host/api/videos/{id}} or a share path). */
    public static VideoView of(Video video, String base) {
        boolean ready = video.isReady();
        boolean early = !ready && video.isPlayable();
        List<Rendition> renditions = early
                ? video.readyRenditions.stream().map(r -> new Rendition(r.name(), r.width(), r.height(), r.bandwidth(),
                        false)).toList()
                : video.renditions == null ? List.of() : video.renditions.stream()
                        .map(r -> new Rendition(r.name(), r.width(), r.height(), r.bandwidth(), true)).toList();
        return new VideoView(video.id, video.ownerId, video.title, video.description, video.category,
                video.visibility, video.fileName, video.sizeBytes, video.status, video.progress,
                video.durationSeconds, video.width, video.height, renditions,
                video.thumbnailKey != null ? base + "/thumbnail" : null,
                ready && video.mp4Key != null ? base + "/stream" : null,
                ready && video.hlsMasterKey != null ? base + "/hls/r/" + video.mediaRoot() + "/master.m3u8"
                        : early ? base + "/hls/master.m3u8" : null,
                video.createdAt, video.failureReason, ready ? video.hlsMasterKey != null : early,
                video.captions == null ? List.of() : video.captions.stream()
                        .map(c -> new Caption(c.lang(), c.name(), base + "/captions/" + c.lang())).toList(),
                ready && video.storyboardKey != null ? base + "/" + STORYBOARD_VTT : null,
                ready && video.audioKey != null ? base + "/" + AUDIO_FILE : null, Replace.of(video));
    }

    /**
     * One rung of the HLS ladder as clients see it.
     *
     * @param complete false while the rendition still grows (the video is PROCESSING and plays what is encoded so
     *        far: its media playlist is an EVENT playlist the transcoder extends), true once the video is READY
     */
    public record Rendition(String name, int width, int height, long bandwidth, boolean complete) {
    }
}
