package dev.clipflow.catalog.video.service;

import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;
import java.util.UUID;

/**
 * Deletes blobs once the transaction that decided it is committed (never before: a rollback keeps them): every
 * blob of deleted videos, or single files (an original not kept, one language of captions).
 */
@ApplicationScoped
public class BlobCleanup {

    /** The videos whose blobs are to go. */
    public record Request(List<UUID> videoIds) {
    }

    /** Single blobs to go; {@code what} names them in the log. */
    public record Files(String what, List<String> keys) {
    }

    /**
     * The old media of a video that was its own media root and was replaced: every blob under its prefixes except its
     * captions and the blobs in {@code keep} (what the row names now, e.g. a thumbnail the owner put since).
     */
    public record OldMedia(UUID root, java.util.Set<String> keep) {
    }

    private final BlobStore store;

    public BlobCleanup(BlobStore store) {
        this.store = store;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Request request) {
        for (UUID id : request.videoIds()) {
            try {
                int removed = store.deletePrefix(BlobKeys.videoPrefix(id)) + store.deletePrefix(BlobKeys.originalPrefix(id));
                Log.debugf("Deleted %d blobs of video %s", removed, id);
            } catch (RuntimeException e) {
                Log.warnf("Could not delete the blobs of video %s: %s", id, e.getMessage());
            }
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OldMedia media) {
        try {
            String captions = BlobKeys.videoPrefix(media.root()) + "captions/";
            int removed = 0;
            for (var blob : store.list(BlobKeys.videoPrefix(media.root()))) {
                if (!blob.key().startsWith(captions) && !media.keep().contains(blob.key()) && store.delete(blob.key())) {
                    removed++;
                }
            }
            removed += store.deletePrefix(BlobKeys.originalPrefix(media.root()));
            Log.debugf("Deleted %d blobs of the replaced media of video %s", removed, media.root());
        } catch (RuntimeException e) {
            Log.warnf("Could not delete the replaced media of video %s: %s", media.root(), e.getMessage());
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Files files) {
        for (String key : files.keys()) {
            try {
                store.delete(key);
                Log.debugf("Deleted %s (%s)", key, files.what());
            } catch (RuntimeException e) {
                Log.warnf("Could not delete %s (%s): %s", key, files.what(), e.getMessage());
            }
        }
    }
}
