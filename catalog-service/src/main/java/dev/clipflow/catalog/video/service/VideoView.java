package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.Visibility;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A video as clients see it (the contract's Video JSON). URLs are null until there is something to fetch. */
public record VideoView(UUID id, UUID ownerId, String title, String description, String category,
        Visibility visibility, String fileName, long sizeBytes, VideoStatus status, int progress,
        Double durationSeconds, Integer width, Integer height, List<Video.Rendition> renditions,
        String thumbnailUrl, String streamUrl, String hlsUrl, Instant createdAt, String failureReason) {

    /** The view with URLs under {@code base} (e.g. {@code https://host/api/videos/{id}} or a share path). */
    public static VideoView of(Video video, String base) {
        boolean ready = video.isReady();
        return new VideoView(video.id, video.ownerId, video.title, video.description, video.category,
                video.visibility, video.fileName, video.sizeBytes, video.status, video.progress,
                video.durationSeconds, video.width, video.height,
                video.renditions == null ? List.of() : video.renditions,
                video.thumbnailKey != null ? base + "/thumbnail" : null,
                ready && video.mp4Key != null ? base + "/stream" : null,
                ready && video.hlsMasterKey != null ? base + "/hls/master.m3u8" : null,
                video.createdAt, video.failureReason);
    }
}
