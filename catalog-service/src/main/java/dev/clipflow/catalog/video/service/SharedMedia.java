package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.live.LiveUpdates;
import dev.clipflow.catalog.video.live.VideoUpdate;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Shared media (dedup by content, see docs/architecture.md "Shared media"): a video whose upload repeated a file its
 * owner stored before plays the earlier video's blobs ({@link Video#mediaOf}, the media root) instead of its own.
 * This class links such a video, hands a root's transcode result or failure on to the videos sharing it, and decides
 * on deletion which blob prefixes may go: a root's only once no live video is or plays it (a reference count kept
 * by the rows themselves, checked under row locks so a deletion and a link take turns).
 */
@ApplicationScoped
public class SharedMedia {

    static final String ROOT_GONE = "The file repeats a video that was deleted meanwhile; upload it again.";

    private final VideoRepository videos;
    private final BlobStore store;
    private final Outbox outbox;
    private final LiveUpdates live;
    private final Event<BlobCleanup.Request> cleanup;

    public SharedMedia(VideoRepository videos, BlobStore store, Outbox outbox, LiveUpdates live,
            Event<BlobCleanup.Request> cleanup) {
        this.videos = videos;
        this.store = store;
        this.outbox = outbox;
        this.live = live;
        this.cleanup = cleanup;
    }

    /**
     * {@code video.uploaded} with {@code duplicateOf}: the video plays the media of that earlier video (of the same
     * owner) from now on: READY at once when that one is, FAILED with its reason when it failed, otherwise
     * PROCESSING until its transcode ends ({@link #transcoded}). The earlier video deleted meanwhile: FAILED
     * (nothing of this upload was stored).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void link(Video video, UUID duplicateOf) {
        if (video.mediaOf != null || video.mp4Key != null) {
            return; // linked already (a redelivery)
        }
        Video earlier = videos.findById(duplicateOf, LockModeType.PESSIMISTIC_WRITE);
        if (earlier == null || !earlier.ownerId.equals(video.ownerId)) {
            fail(video, ROOT_GONE);
            return;
        }
        video.mediaOf = earlier.mediaRoot();
        video.originalKey = earlier.originalKey;
        video.originalDeletedAt = earlier.originalDeletedAt;
        Log.infof("Video %s plays the media of video %s (same content)", video.id, video.mediaOf);
        if (earlier.isReady()) {
            copy(earlier, video);
        } else if (earlier.status == VideoStatus.FAILED) {
            fail(video, earlier.failureReason);
        }
    }

    /** The root's transcode is done: every video sharing it that is not READY yet plays it now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void transcoded(Video root) {
        for (Video sharing : videos.sharing(root.id)) {
            if (!sharing.isReady()) {
                copy(root, sharing);
            }
        }
    }

    /** The root's transcode failed: the videos sharing it that still wait fail with the same reason. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(Video root) {
        for (Video sharing : videos.sharing(root.id)) {
            if (sharing.status == VideoStatus.PROCESSING || sharing.status == VideoStatus.UPLOADING) {
                fail(sharing, root.failureReason);
            }
        }
    }

    /**
     * Before deleting these videos: locks them and every live video sharing media with them. After their rows are
     * gone ({@link #afterDelete}) the prefixes no live video needs any more are deleted once committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<UUID> beforeDelete(List<Video> doomed) {
        Set<UUID> candidates = new LinkedHashSet<>();
        for (Video video : doomed) {
            candidates.add(video.id);
            candidates.add(video.mediaRoot());
        }
        videos.lockMedia(candidates);
        return candidates;
    }

    /**
     * The blob prefixes of the candidates no live video is or plays go after commit: a deleted video's own, unless
     * a live duplicate still plays it (then they go with the last one), and a deleted root's once its last
     * duplicate is deleted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterDelete(Set<UUID> candidates) {
        videos.flush();
        List<UUID> unused = candidates.stream().filter(id -> !videos.mediaInUse(id)).toList();
        if (!unused.isEmpty()) {
            cleanup.fire(new BlobCleanup.Request(unused));
        }
    }

    /**
     * A live video still playing the media of this deleted one (its root's or its own), the oldest: it takes over the
     * deleted video's quota charge ({@code video.deleted} {@code chargeTo}), so shared content stays charged once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> heir(Video deleted) {
        return videos.sharingLive(deleted.mediaRoot(), deleted.id);
    }

    private void copy(Video root, Video video) {
        video.status = VideoStatus.READY;
        video.progress = 100;
        video.failureReason = null;
        video.durationSeconds = root.durationSeconds;
        video.width = root.width;
        video.height = root.height;
        video.mp4Key = root.mp4Key;
        video.mp4SizeBytes = root.mp4SizeBytes;
        video.hlsMasterKey = root.hlsMasterKey;
        video.storyboardKey = root.storyboardKey;
        video.audioKey = root.audioKey;
        video.renditions = root.renditions;
        video.readyRenditions = null;
        video.originalKey = root.originalKey;
        video.originalDeletedAt = root.originalDeletedAt;
        if (video.originalContentType == null) {
            video.originalContentType = root.originalContentType;
        }
        ownThumbnail(root, video);
        video.updatedAt = Instant.now();
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
    }

    /**
     * The video gets its own copy of the root's thumbnail (a small JPEG), so that an owner's thumbnail put on either
     * video changes only that one; counted on the video's quota entry like any thumbnail.
     */
    private void ownThumbnail(Video root, Video video) {
        if (root.thumbnailKey == null) {
            return;
        }
        String key = BlobKeys.thumbnail(video.id);
        try {
            long size = store.stat(root.thumbnailKey).map(b -> b.size()).orElse(-1L);
            if (size < 0) {
                return;
            }
            String type = root.thumbnailContentType == null ? "image/jpeg" : root.thumbnailContentType;
            try (InputStream in = store.open(root.thumbnailKey, 0, size)) {
                store.put(key, in, size, type);
            }
            video.thumbnailKey = key;
            video.thumbnailContentType = type;
            outbox.publish(Topics.VIDEO_STORED, video.id,
                    new VideoStored(video.id, video.ownerId, VideoStored.THUMBNAIL, size, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void fail(Video video, String reason) {
        video.status = VideoStatus.FAILED;
        video.failureReason = reason == null || reason.isBlank() ? "Processing failed." : reason;
        video.readyRenditions = null;
        video.updatedAt = Instant.now();
        live.publish(VideoUpdate.of(VideoUpdate.STATUS, video, null, null));
    }
}
