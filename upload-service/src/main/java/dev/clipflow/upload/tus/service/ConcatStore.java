package dev.clipflow.upload.tus.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The transactions of tus Concatenation: marking an upload partial, taking finished partials for a
 * final upload (each once), giving them back when the final cannot be opened, and recording the final.
 */
@ApplicationScoped
public class ConcatStore {

    /** The failure code a partial carries once a final upload took it (its state is then ABORTED). */
    public static final String TAKEN = "tus.concatenated";

    private final UploadSessionRepository sessions;

    public ConcatStore(UploadSessionRepository sessions) {
        this.sessions = sessions;
    }

    public void markPartial(UUID uploadId) {
        QuarkusTransaction.requiringNew().run(() -> sessions.getEntityManager().createNativeQuery(
                "update upload_session set tus_concat = 'PARTIAL' where id = ?1").setParameter(1, uploadId)
                .executeUpdate());
    }

    /**
     * Takes the caller's finished partial uploads {@code ids} (in order) for a final upload under the
     * claim {@code taker}: each must be the caller's, partial, live, complete and not taken before, and
     * together at most {@code maxSize} bytes. A taken partial ends ABORTED (no longer counted as open,
     * never expired, its reservation released by the caller or the sweeper) with its file name freed.
     * Nothing is taken when one of them fails.
     */
    public List<UploadSession> take(UUID ownerId, List<UUID> ids, UUID taker, long maxSize, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            sessions.lockOwner(ownerId);
            List<UploadSession> parts = new ArrayList<>();
            long total = 0;
            for (UUID id : ids) {
                UploadSession part = sessions.findById(id, LockModeType.PESSIMISTIC_WRITE);
                if (part == null || !part.ownerId.equals(ownerId) || part.protocol != UploadSession.Protocol.TUS) {
                    throw ProblemException.badRequest("tus.concat_unknown_part",
                            "/api/tus/" + id + " is not one of your tus uploads.");
                }
                if (part.tusConcat != UploadSession.Concat.PARTIAL) {
                    throw ProblemException.badRequest("tus.concat_not_partial",
                            "/api/tus/" + id + " was not created with Upload-Concat: partial.");
                }
                if (part.concatFinal != null) {
                    throw ProblemException.conflict("tus.concat_part_used",
                            "/api/tus/" + id + " is part of another final upload already.");
                }
                if (part.state != UploadSession.State.UPLOADING || now.isAfter(part.expiresAt)) {
                    throw new ProblemException(410, "upload.expired", "Gone",
                            "/api/tus/" + id + " is " + (part.state == UploadSession.State.UPLOADING ? "expired"
                                    : part.state.name().toLowerCase()) + "; upload that part again.");
                }
                if (part.bytesReceived != part.sizeBytes) {
                    throw ProblemException.conflict("tus.concat_part_unfinished", "/api/tus/" + id + " has "
                            + part.bytesReceived + " of its " + part.sizeBytes + " bytes; finish it first.");
                }
                total += part.sizeBytes;
                parts.add(part);
            }
            if (total > maxSize) {
                throw new ProblemException(413, "upload.file_too_large", "Payload Too Large",
                        "The partial uploads hold " + total + " bytes; at most " + maxSize + " are accepted.");
            }
            for (UploadSession part : parts) {
                sessions.getEntityManager().createNativeQuery("""
                        update upload_session set concat_final = ?1, state = 'ABORTED', failure_code = ?2,
                            failure_reason = 'Taken by a final upload (Upload-Concat).', updated_at = ?3
                        where id = ?4""")
                        .setParameter(1, taker).setParameter(2, TAKEN).setParameter(3, now).setParameter(4, part.id)
                        .executeUpdate();
                sessions.freeFileNameOf(part.videoId);
                sessions.getEntityManager().detach(part);
            }
            return parts;
        });
    }

    /** Undoes {@link #take} when the final upload could not be opened: the partials are usable again. */
    public void giveBack(List<UploadSession> parts, UUID taker, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (UploadSession part : parts) {
                if (sessions.getEntityManager().createNativeQuery("""
                        update upload_session set concat_final = null, state = 'UPLOADING', failure_code = null,
                            failure_reason = null, quota_state = 'RESERVED', updated_at = ?1
                        where id = ?2 and concat_final = ?3""")
                        .setParameter(1, now).setParameter(2, part.id).setParameter(3, taker).executeUpdate() == 1) {
                    sessions.takeFileName(part.ownerId, part.fileName, part.videoId);
                }
            }
        });
    }

    /** Makes the opened session {@code finalId} the final upload of the partials taken under {@code taker}. */
    public void recordFinal(UUID finalId, List<UUID> ids, UUID taker) {
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.getEntityManager().createNativeQuery("""
                    update upload_session set tus_concat = 'FINAL', concat_parts = ?1, bytes_received = size_bytes
                    where id = ?2""")
                    .setParameter(1, String.join(" ", ids.stream().map(UUID::toString).toList()))
                    .setParameter(2, finalId).executeUpdate();
            sessions.getEntityManager().createNativeQuery(
                    "update upload_session set concat_final = ?1 where concat_final = ?2")
                    .setParameter(1, finalId).setParameter(2, taker).executeUpdate();
        });
    }
}
