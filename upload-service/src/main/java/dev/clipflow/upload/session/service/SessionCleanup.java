package dev.clipflow.upload.session.service;

import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.staging.UploadStaging;
import dev.clipflow.upload.quota.client.QuotaClient;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Undoes what an unfinished upload holds once its session reached a terminal state other than
 * COMPLETED: staged chunks, a half-made original, the file name, the quota reservation. Every step is
 * idempotent; a reservation that cannot be released now stays RESERVED and the sweeper retries.
 */
@ApplicationScoped
public class SessionCleanup {

    private final UploadSessionRepository sessions;
    private final UploadStaging staging;
    private final BlobStore store;
    private final QuotaClient quota;

    public SessionCleanup(UploadSessionRepository sessions, UploadStaging staging, BlobStore store, QuotaClient quota) {
        this.sessions = sessions;
        this.staging = staging;
        this.store = store;
        this.quota = quota;
    }

    /** Deletes data and frees the name; then releases the reservation. */
    public void discard(UploadSession session, boolean deleteOriginal) {
        try {
            staging.discard(session.id);
            session.parts().forEach(staging::discard); // a tus final upload's partial uploads
            if (deleteOriginal) {
                store.deletePrefix(BlobKeys.originalPrefix(session.videoId));
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not delete the data of upload %s: %s", session.id, e.getMessage());
        }
        QuarkusTransaction.requiringNew().run(() -> sessions.freeFileNameOf(session.videoId));
        release(session);
    }

    /** Releases the reservation, remembering whether it worked. */
    public void release(UploadSession session) {
        try {
            quota.release(session.id);
            QuarkusTransaction.requiringNew().run(() -> sessions.quotaState(session.id,
                    UploadSession.QuotaState.RELEASED));
        } catch (RuntimeException e) {
            Log.warnf("Could not release the reservation of upload %s (will retry): %s", session.id, e.getMessage());
        }
    }

    /**
     * Commits the reservation of a completed upload, remembering whether it worked: its size, or 0 for a duplicate
     * of content the owner stored already (charged once, on the earlier video).
     */
    public void commit(UploadSession session) {
        try {
            quota.commit(session.id, session.duplicateOf != null ? 0 : session.sizeBytes);
            QuarkusTransaction.requiringNew().run(() -> sessions.quotaState(session.id,
                    UploadSession.QuotaState.COMMITTED));
        } catch (RuntimeException e) {
            Log.warnf("Could not commit the reservation of upload %s (will retry): %s", session.id, e.getMessage());
        }
    }
}
