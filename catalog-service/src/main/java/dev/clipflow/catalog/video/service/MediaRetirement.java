package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes the media a replaced video played before, once its grace period is over ({@code media_retirement}, written
 * by the switch in {@link Replacements}): unless a live video still plays that root (a duplicate of the old content),
 * its blobs go after the commit. A root that is a live video itself (the replaced video was its own root) keeps its
 * captions and what the row names now. Any replica may run it: due rows are claimed with {@code skip locked}.
 */
@ApplicationScoped
public class MediaRetirement {

    private static final int BATCH = 50;

    private final VideoRepository videos;
    private final Event<BlobCleanup.Request> whole;
    private final Event<BlobCleanup.OldMedia> partial;

    public MediaRetirement(VideoRepository videos, Event<BlobCleanup.Request> whole,
            Event<BlobCleanup.OldMedia> partial) {
        this.videos = videos;
        this.whole = whole;
        this.partial = partial;
    }

    @Scheduled(every = "${clipflow.catalog.replace-sweep-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            while (retireDue(Instant.now()) == BATCH) {
                Log.debug("More replaced media due: next batch");
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not delete replaced media (next run retries): %s", e.getMessage());
        }
    }

    /** Retires the roots due at {@code now}; returns how many were due. */
    public int retireDue(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, UUID> due = videos.dueRetirements(now, BATCH);
            if (due.isEmpty()) {
                return 0;
            }
            videos.lockMedia(due.keySet());
            for (Map.Entry<UUID, UUID> entry : due.entrySet()) {
                retire(entry.getKey(), now);
                videos.forgetRetirement(entry.getKey());
            }
            return due.size();
        });
    }

    private void retire(UUID root, Instant now) {
        if (videos.playedByOthers(root)) {
            Log.infof("Replaced media %s is still played by another video: kept", root);
            return;
        }
        Video own = videos.findById(root);
        if (own == null) {
            whole.fire(new BlobCleanup.Request(List.of(root)));
            Log.infof("Replaced media %s deleted", root);
            return;
        }
        if (Objects.equals(own.mediaRoot(), root) || (root.equals(own.previousRoot) && own.previousRootUntil != null
                && own.previousRootUntil.isAfter(now))) {
            return; // it plays its own media again, or a later replace extended the grace
        }
        Set<String> keep = new HashSet<>();
        for (String key : new String[] {own.thumbnailKey, own.mp4Key, own.hlsMasterKey, own.storyboardKey,
                own.audioKey, own.originalKey}) {
            if (key != null) {
                keep.add(key);
            }
        }
        partial.fire(new BlobCleanup.OldMedia(root, keep));
        Log.infof("Replaced media of video %s deleted (its captions stay)", root);
    }
}
