package dev.clipflow.catalog.video.service;

import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;
import java.util.UUID;

/** Deletes the blobs of deleted videos once the deletion is committed (never before: a rollback keeps them). */
@ApplicationScoped
public class BlobCleanup {

    /** The videos whose blobs are to go. */
    public record Request(List<UUID> videoIds) {
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
}
