package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.category.CategoryService;
import dev.clipflow.catalog.media.Originals;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.live.LiveUpdates;
import dev.clipflow.catalog.video.live.VideoUpdate;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeProgress;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Applies the pipeline's events to the video record. Each method is safe in any order:
 * <ul>
 * <li>{@code uploaded} creates the video or fills in what a faster event could not know;
 * it never moves a video back from READY or FAILED;</li>
 * <li>{@code progress} only moves forward and only while the video is processing;</li>
 * <li>{@code renditionReady} makes a processing video playable with the renditions stored so far;</li>
 * <li>{@code transcoded} makes the video READY whatever came before (a retried job may succeed
 * after a failure), creating it if needed;</li>
 * <li>{@code failed} marks FAILED unless the video is already READY;</li>
 * <li>{@code uploaded} of a duplicate ({@code duplicateOf}) links the video to the earlier one's media, and
 * {@code transcoded}/{@code failed} of a video hand the result on to the videos sharing its media
 * ({@link SharedMedia});</li>
 * <li>events of a replace's new media id update the replaced video and create none ({@link Replacements});</li>
 * <li>nothing recreates a deleted video;</li>
 * <li>nothing creates a video of a deleted user: such a late event's video is remembered as deleted,
 * announced ({@code video.deleted}, so quota and transcode forget it too) and its blobs deleted.</li>
 * </ul>
 * Deduplication by event id happens in the caller's transaction (the inbox).
 */
@ApplicationScoped
public class VideoLifecycle {

    private static final int MAX_REASON = 2000;

    private final VideoRepository videos;
    private final CategoryService categories;
    private final Outbox outbox;
    private final Event<BlobCleanup.Request> cleanup;
    private final LiveUpdates live;
    private final Originals originals;
    private final SharedMedia shared;
    private final Replacements replacements;

    public VideoLifecycle(VideoRepository videos, CategoryService categories, Outbox outbox,
            Event<BlobCleanup.Request> cleanup, LiveUpdates live, Originals originals, SharedMedia shared,
            Replacements replacements) {
        this.shared = shared;
        this.replacements = replacements;
        this.videos = videos;
        this.categories = categories;
        this.outbox = outbox;
        this.cleanup = cleanup;
        this.live = live;
        this.originals = originals;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void uploaded(VideoUploaded event) {
        if (videos.isTombstoned(event.videoId()) || replacements.uploaded(event)) {
            return;
        }
        Video video = videos.findById(event.videoId(), LockModeType.PESSIMISTIC_WRITE);
        boolean created = video == null;
        if (created && ownerDeleted(event.videoId(), event.ownerId(), event.fileName(), event.sizeBytes())) {
            return;
        }
        if (created) {
            video = newVideo(event.videoId(), event.ownerId(), VideoStatus.PROCESSING,
                    event.uploadedAt() != null ? event.uploadedAt() : Instant.now());
        }
        if (created || video.fileName == null) {
            video.fileName = event.fileName();
            video.sizeBytes = event.sizeBytes();
            video.title = titleOr(event.title(), event.fileName());
            video.description = cut(blankToNull(event.description()), 5000);
            video.fileName = cut(event.fileName(), 255);
            video.category = categories.known(event.category()).orElse(null);
        }
        if (video.originalKey == null) {
            video.originalKey = originalKey(event.videoId(), event.blobKey());
            video.originalSha256 = event.sha256();
            video.originalContentType = cut(event.contentType(), 255);
        }
        if (video.status == VideoStatus.UPLOADING) {
            video.status = VideoStatus.PROCESSING;
        }
        video.updatedAt = Instant.now();
        if (created) {
            videos.persist(video);
        }
        if (event.duplicateOf() != null && video.status == VideoStatus.PROCESSING) {
            shared.link(video, event.duplicateOf());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void progress(TranscodeProgress event) {
        Video video = videos.findById(event.videoId(), LockModeType.PESSIMISTIC_WRITE);
        if (video == null || (video.status != VideoStatus.PROCESSING && video.status != VideoStatus.UPLOADING)) {
            return;
        }
        int progress = Math.max(0, Math.min(99, event.progress()));
        if (progress > video.progress) {
            video.progress = progress;
            video.status = VideoStatus.PROCESSING;
            video.updatedAt = Instant.now();
            live.publish(VideoUpdate.of(VideoUpdate.PROGRESS, video, event.etaSeconds(), null));
        }
    }

    /**
     * A rendition plays before the rest of the ladder: remembered (with what the master playlist needs) while
     * the video is PROCESSING; ignored once READY or FAILED, and for a video catalog does not know (yet): it
     * then plays once READY.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void renditionReady(VideoRenditionReady event) {
        Video video = videos.findById(event.videoId(), LockModeType.PESSIMISTIC_WRITE);
        if (video == null || (video.status != VideoStatus.PROCESSING && video.status != VideoStatus.UPLOADING)) {
            return;
        }
        VideoRenditionReady.Rendition r = event.rendition();
        List<Video.ReadyRendition> ready = new ArrayList<>(video.readyRenditions == null ? List.of()
                : video.readyRenditions.stream().filter(known -> !known.name().equals(r.name())).toList());
        ready.add(new Video.ReadyRendition(r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(),
                r.codecs(), r.frameRate()));
        ready.sort(Comparator.comparingInt(Video.ReadyRendition::height));
        video.readyRenditions = ready;
        video.status = VideoStatus.PROCESSING;
        video.updatedAt = Instant.now();
        live.publish(VideoUpdate.of(VideoUpdate.RENDITION_READY, video, null, r.name()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void transcoded(VideoTranscoded event) {
        if (videos.isTombstoned(event.videoId())) {
            Log.debugf("Ignoring video.transcoded of deleted video %s", event.videoId());
            return;
        }
        Video video = videos.findById(event.videoId(), LockModeType.PESSIMISTIC_WRITE);
        boolean created = video == null;
        if (created && (replacements.transcoded(event)
                || ownerDeleted(event.videoId(), event.ownerId(), null, event.mp4SizeBytes()))) {
            return; // a replace's new media (see Replacements), or a late event of a deleted user
        }
        if (!created && video.mediaOf != null) {
            // it plays other media (a duplicate has no job; a replaced video's old job re-run must not take it back)
            Log.infof("Ignoring video.transcoded of video %s: it plays the media of %s", video.id, video.mediaOf);
            return;
        }
        if (created) {
            video = newVideo(event.videoId(), event.ownerId(), VideoStatus.READY, Instant.now());
            video.title = "Untitled";
        }
        playOutputs(video, event);
        if (video.sizeBytes == 0) {
            video.sizeBytes = event.mp4SizeBytes();
        }
        video.updatedAt = Instant.now();
        if (created) {
            videos.persist(video);
        }
        originals.transcoded(video);
        shared.transcoded(video);
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(VideoFailed event) {
        if (videos.isTombstoned(event.videoId())) {
            return;
        }
        Video video = videos.findById(event.videoId(), LockModeType.PESSIMISTIC_WRITE);
        boolean created = video == null;
        if (created) {
            if (event.ownerId() == null || videos.isUserTombstoned(event.ownerId()) || replacements.failed(event)) {
                return;
            }
            video = newVideo(event.videoId(), event.ownerId(), VideoStatus.FAILED, Instant.now());
            video.title = "Untitled";
        } else if (video.status == VideoStatus.READY) {
            return;
        }
        video.status = VideoStatus.FAILED;
        String reason = event.reason() == null || event.reason().isBlank() ? "Processing failed." : event.reason();
        video.failureReason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        video.readyRenditions = null;
        video.updatedAt = Instant.now();
        if (created) {
            videos.persist(video);
        } else {
            shared.failed(video);
        }
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
    }

    /** A video catalog-service creates itself (trim or merge output), waiting for the transcoder. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Video createProcessing(UUID ownerId, String title, String description, String category, String fileName) {
        Video video = newVideo(UUID.randomUUID(), ownerId, VideoStatus.PROCESSING, Instant.now());
        video.title = title;
        video.description = description;
        video.category = category;
        video.fileName = fileName;
        videos.persist(video);
        return video;
    }

    /**
     * Whether the owner of an unknown video was deleted; if so the video is remembered as deleted, announced and
     * its blobs go after commit, like a video deleted with its user.
     */
    private boolean ownerDeleted(UUID videoId, UUID ownerId, String fileName, long sizeBytes) {
        if (!videos.isUserTombstoned(ownerId)) {
            return false;
        }
        Log.infof("Video %s of deleted user %s arrived late: deleted instead of created", videoId, ownerId);
        videos.tombstone(videoId);
        outbox.publish(Topics.VIDEO_DELETED, videoId, new VideoDeleted(videoId, ownerId, fileName, sizeBytes, null));
        cleanup.fire(new BlobCleanup.Request(List.of(videoId)));
        return true;
    }

    private static Video newVideo(UUID id, UUID ownerId, VideoStatus status, Instant createdAt) {
        Video video = new Video();
        video.id = id;
        video.ownerId = ownerId;
        video.status = status;
        video.createdAt = createdAt;
        video.updatedAt = createdAt;
        return video;
    }

    /** The event's key of the original if it is one of this video's original keys; the standard key otherwise. */
    private static String originalKey(UUID videoId, String blobKey) {
        if (blobKey != null && blobKey.startsWith(BlobKeys.originalPrefix(videoId))) {
            try {
                return BlobKeys.validate(blobKey);
            } catch (IllegalArgumentException e) {
                Log.warnf("video.uploaded of %s names an invalid original key", videoId);
            }
        }
        return BlobKeys.original(videoId);
    }

    private static String titleOr(String title, String fileName) {
        String chosen = title != null && !title.isBlank() ? title.strip() : fileName;
        if (chosen == null || chosen.isBlank()) {
            chosen = "Untitled";
        }
        return chosen.length() > 200 ? chosen.substring(0, 200) : chosen;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The video is READY with what the transcode stored ({@code event}): its keys, sizes and renditions. The transcoder
     * writes the thumbnail key afresh (a custom one uploaded meanwhile is replaced). Also a replace's switch to the
     * outputs of its new media ({@link Replacements}).
     */
    static void playOutputs(Video video, VideoTranscoded event) {
        video.status = VideoStatus.READY;
        video.progress = 100;
        video.failureReason = null;
        video.durationSeconds = event.durationSeconds();
        video.width = event.width();
        video.height = event.height();
        video.mp4Key = event.mp4Key();
        video.mp4SizeBytes = event.mp4SizeBytes();
        video.hlsMasterKey = event.hlsMasterKey();
        video.audioKey = event.audioKey();
        video.thumbnailKey = event.thumbnailKey();
        video.thumbnailContentType = "image/jpeg";
        video.storyboardKey = event.storyboardKey();
        video.renditions = event.renditions() == null ? java.util.List.of() : event.renditions().stream()
                .map(r -> new Video.Rendition(r.name(), r.width(), r.height(), r.bandwidth())).toList();
        video.readyRenditions = null;
    }
}
