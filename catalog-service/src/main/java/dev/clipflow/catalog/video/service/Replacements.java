package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.media.Originals;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.live.LiveUpdates;
import dev.clipflow.catalog.video.live.VideoUpdate;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoReplaced;
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
import java.util.List;
import java.util.UUID;

/**
 * Replacing a video's file (docs/architecture.md, "Replacing a video's file"): the new file is uploaded and transcoded
 * under a new media id M ({@link Video#replacing}) while the video keeps playing its media; the pipeline's events of M
 * update the pending replace and never create a video. On M's {@code video.transcoded} the video switches in one
 * transaction to M's keys and renditions ({@code media_of = M}), {@code video.replaced} is published, and the media it
 * played before stays served (HLS under its root) and stored for {@code replace-grace}, then goes
 * ({@link MediaRetirement}) unless a live video still plays it. A failed replace leaves the video on its media with
 * {@link Video#replaceFailureReason}; a cancelled one (video deleted, replace abandoned) announces M as deleted, so
 * upload aborts its session, quota releases its reservation and transcode cancels its job.
 */
@ApplicationScoped
public class Replacements {

    private static final int MAX_REASON = 2000;

    private final VideoRepository videos;
    private final Outbox outbox;
    private final LiveUpdates live;
    private final Originals originals;
    private final Event<BlobCleanup.Request> cleanup;
    private final CatalogConfig config;

    public Replacements(VideoRepository videos, Outbox outbox, LiveUpdates live, Originals originals,
            Event<BlobCleanup.Request> cleanup, CatalogConfig config) {
        this.videos = videos;
        this.outbox = outbox;
        this.live = live;
        this.originals = originals;
        this.cleanup = cleanup;
        this.config = config;
    }

    /** Whether a replace can start now: READY or FAILED, and none pending (or the pending one was abandoned). */
    public boolean canStart(Video video, Instant now) {
        return (video.status == VideoStatus.READY || video.status == VideoStatus.FAILED)
                && (video.replacing == null || abandoned(video, now));
    }

    /** A pending replace whose upload never arrived within {@code replace-abandon-after}. */
    private boolean abandoned(Video video, Instant now) {
        return video.replacing != null && video.replaceSizeBytes == null && video.replaceStartedAt != null
                && video.replaceStartedAt.plus(config.replaceAbandonAfter()).isBefore(now);
    }

    /**
     * Records the pending replace of the locked video under media id {@code mediaId} (its upload session is open);
     * false when it cannot start any more (then {@code mediaId} is cancelled).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean begin(Video video, UUID mediaId, UUID by) {
        Instant now = Instant.now();
        if (!canStart(video, now)) {
            cancel(video.ownerId, mediaId, by);
            return false;
        }
        if (video.replacing != null) {
            Log.infof("Video %s: replace %s abandoned (its upload never came), cancelled", video.id, video.replacing);
            cancel(video.ownerId, video.replacing, by);
        }
        video.replacing = mediaId;
        video.replaceStartedAt = now;
        video.replaceSizeBytes = null;
        video.replaceSha256 = null;
        video.replaceContentType = null;
        video.replaceFailureReason = null;
        video.updatedAt = now;
        return true;
    }

    /**
     * A media id that will never be used: remembered as deleted (its late events create nothing) and announced with
     * {@code video.deleted} (upload aborts its session, quota releases its reservation or charge, transcode cancels its
     * job); its blobs go after the commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(UUID ownerId, UUID mediaId, UUID by) {
        videos.tombstone(mediaId);
        outbox.publish(Topics.VIDEO_DELETED, mediaId, new VideoDeleted(mediaId, ownerId, null, 0, by));
        cleanup.fire(new BlobCleanup.Request(List.of(mediaId)));
    }

    /**
     * {@code video.uploaded} of a replacement ({@code replaces} set): remembers its size, SHA-256 and type for the
     * switch (or fills them in when the switch came first). Never creates a video; true when the event was one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean uploaded(VideoUploaded event) {
        if (event.replaces() == null) {
            return false;
        }
        Video video = videos.replacingWith(event.videoId());
        if (video != null) {
            video.replaceSizeBytes = event.sizeBytes();
            video.replaceSha256 = event.sha256();
            video.replaceContentType = cut(event.contentType(), 255);
            video.updatedAt = Instant.now();
            return true;
        }
        Video switched = videos.findById(event.replaces(), LockModeType.PESSIMISTIC_WRITE);
        if (switched != null && event.videoId().equals(switched.mediaOf) && switched.originalSha256 == null) {
            switched.sizeBytes = event.sizeBytes(); // the transcode's result came first
            switched.originalSha256 = event.sha256();
            switched.originalContentType = cut(event.contentType(), 255);
        }
        return true;
    }

    /**
     * {@code video.transcoded} of a pending replace's media id: the switch. False when the id is no pending replace
     * (the caller goes on as for any video).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transcoded(VideoTranscoded event) {
        UUID media = event.videoId();
        Video video = videos.replacingWith(media);
        if (video == null) {
            return videos.playedByOthers(media) && videos.findById(media) == null; // switched already: a redelivery
        }
        Instant now = Instant.now();
        UUID oldRoot = video.mediaRoot();
        long oldBytes = video.sizeBytes;
        VideoLifecycle.playOutputs(video, event);
        video.mediaOf = media;
        video.originalKey = BlobKeys.original(media);
        video.originalSha256 = video.replaceSha256;
        video.originalContentType = video.replaceContentType;
        video.originalDeletedAt = null;
        if (video.replaceSizeBytes != null) {
            video.sizeBytes = video.replaceSizeBytes;
        } else if (event.originalSizeBytes() != null) {
            video.sizeBytes = event.originalSizeBytes();
        }
        video.previousRoot = oldRoot;
        video.previousRootUntil = now.plus(config.replaceGrace());
        video.replacing = null;
        video.replaceStartedAt = null;
        video.replaceSizeBytes = null;
        video.replaceSha256 = null;
        video.replaceContentType = null;
        video.replaceFailureReason = null;
        video.updatedAt = now;
        long thumbnail = event.thumbnailSizeBytes() == null ? 0 : event.thumbnailSizeBytes();
        outbox.publish(Topics.VIDEO_REPLACED, video.id, new VideoReplaced(video.id, video.ownerId, oldRoot, media,
                oldBytes, video.sizeBytes, event.mp4SizeBytes(),
                Math.max(0, event.totalBytes() - event.mp4SizeBytes() - thumbnail), event.thumbnailSizeBytes(), now));
        if (!oldRoot.equals(video.id) && videos.findById(oldRoot) == null && !videos.isTombstoned(oldRoot)) {
            // the media of an earlier replace: its late events must create nothing once it is retired
            videos.tombstone(oldRoot);
        }
        videos.retireMedia(oldRoot, video.id, video.previousRootUntil);
        originals.transcoded(video);
        Log.infof("Video %s switched to its new media %s (was %s; that goes after %s)", video.id, media, oldRoot,
                config.replaceGrace());
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
        return true;
    }

    /**
     * {@code video.failed} of a pending replace's media id: the video keeps its media, the reason is shown, and the
     * media id is cancelled (its stored original and partial outputs go, its charge or reservation is released).
     * False when the id is no pending replace (nor the media a video switched to).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean failed(VideoFailed event) {
        Video video = videos.replacingWith(event.videoId());
        if (video == null) {
            return videos.playedByOthers(event.videoId()) && videos.findById(event.videoId()) == null;
        }
        String reason = event.reason() == null || event.reason().isBlank() ? "Processing failed." : event.reason();
        video.replaceFailureReason = cut(reason, MAX_REASON);
        video.replacing = null;
        video.replaceStartedAt = null;
        video.replaceSizeBytes = null;
        video.replaceSha256 = null;
        video.replaceContentType = null;
        video.updatedAt = Instant.now();
        cancel(video.ownerId, event.videoId(), null);
        Log.infof("Video %s: its replace %s failed (%s); it keeps its media", video.id, event.videoId(), reason);
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
        return true;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
