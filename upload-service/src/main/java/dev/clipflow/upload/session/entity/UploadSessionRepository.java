package dev.clipflow.upload.session.entity;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Sessions, chunks and live file names; every state change is a conditional update. */
@ApplicationScoped
public class UploadSessionRepository implements PanacheRepositoryBase<UploadSession, UUID> {

    /** A fresh read of the row (not the persistence context's copy). */
    public Optional<UploadSession> fresh(UUID id) {
        UploadSession session = findById(id);
        if (session != null) {
            getEntityManager().refresh(session);
        }
        return Optional.ofNullable(session);
    }

    public Optional<UploadSession> forUpdate(UUID id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * Moves a session from one of {@code from} to {@code to}; true for the one caller that did it
     * (the others see 0 rows and know someone else won).
     */
    public boolean transition(UUID id, Collection<UploadSession.State> from, UploadSession.State to, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_session set state = ?1, updated_at = ?2,
                    completed_at = case when ?1 = 'COMPLETED' then ?2 else completed_at end
                where id = ?3 and state in (?4)""")
                .setParameter(1, to.name())
                .setParameter(2, now)
                .setParameter(3, id)
                .setParameter(4, from.stream().map(Enum::name).toList())
                .executeUpdate() == 1;
    }

    public void fail(UUID id, String code, String reason, Instant now) {
        getEntityManager().createNativeQuery("""
                update upload_session set failure_code = ?1, failure_reason = ?2, updated_at = ?3 where id = ?4""")
                .setParameter(1, code).setParameter(2, reason).setParameter(3, now).setParameter(4, id)
                .executeUpdate();
    }

    public void quotaState(UUID id, UploadSession.QuotaState state) {
        getEntityManager().createNativeQuery("update upload_session set quota_state = ?1 where id = ?2")
                .setParameter(1, state.name()).setParameter(2, id).executeUpdate();
    }

    /** Serializes session creation per user (transaction-scoped advisory lock). */
    public void lockOwner(UUID ownerId) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(?1)")
                .setParameter(1, ownerId.getMostSignificantBits() ^ ownerId.getLeastSignificantBits())
                .getSingleResult();
    }

    /**
     * The owner's unfinished uploads: chunked and tus sessions not yet ended, and direct uploads in flight
     * (admissions newer than {@code staleBefore}; a direct upload's own session is its admission).
     */
    public long openSessions(UUID ownerId, Instant staleBefore) {
        long sessionsOpen = count("ownerId = ?1 and state in ?2 and protocol <> ?3", ownerId,
                List.of(UploadSession.State.UPLOADING, UploadSession.State.COMPLETING), UploadSession.Protocol.DIRECT);
        long direct = ((Number) getEntityManager().createNativeQuery(
                "select count(*) from direct_admission where owner_id = ?1 and created_at > ?2")
                .setParameter(1, ownerId).setParameter(2, staleBefore).getSingleResult()).longValue();
        return sessionsOpen + direct;
    }

    public void admitDirect(UUID id, UUID ownerId, Instant now) {
        getEntityManager().createNativeQuery("insert into direct_admission (id, owner_id, created_at) values (?1, ?2, ?3)")
                .setParameter(1, id).setParameter(2, ownerId).setParameter(3, now).executeUpdate();
    }

    public void endDirect(UUID id) {
        getEntityManager().createNativeQuery("delete from direct_admission where id = ?1").setParameter(1, id)
                .executeUpdate();
    }

    public List<UploadSession> expired(Instant now, int limit) {
        return find("state = ?1 and expiresAt < ?2", UploadSession.State.UPLOADING, now).page(0, limit).list();
    }

    /** Completions whose lease ran out (their replica died or hangs). */
    public List<UploadSession> staleCompletions(Instant before, int limit) {
        return find("state = ?1 and (completionLeaseAt is null or completionLeaseAt < ?2)",
                UploadSession.State.COMPLETING, before).page(0, limit).list();
    }

    /**
     * Starts a completion: UPLOADING -> COMPLETING with a new claim and lease; true for the one
     * caller that did it.
     */
    public boolean claimCompletion(UUID id, UUID claim, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_session set state = 'COMPLETING', completion_claim = ?1, completion_lease_at = ?2,
                    updated_at = ?2
                where id = ?3 and state = 'UPLOADING'""")
                .setParameter(1, claim).setParameter(2, now).setParameter(3, id).executeUpdate() == 1;
    }

    /**
     * Takes over a completion whose lease is older than {@code staleBefore}: the old claim can no
     * longer commit. True for the one caller that took it.
     */
    public boolean takeOverCompletion(UUID id, UUID claim, Instant staleBefore, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_session set completion_claim = ?1, completion_lease_at = ?2, updated_at = ?2
                where id = ?3 and state = 'COMPLETING'
                    and (completion_lease_at is null or completion_lease_at < ?4)""")
                .setParameter(1, claim).setParameter(2, now).setParameter(3, id).setParameter(4, staleBefore)
                .executeUpdate() == 1;
    }

    /** Renews the lease of a completion that is still the current claim; false when it was taken over. */
    public boolean renewCompletion(UUID id, UUID claim, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_session set completion_lease_at = ?1
                where id = ?2 and state = 'COMPLETING' and completion_claim = ?3""")
                .setParameter(1, now).setParameter(2, id).setParameter(3, claim).executeUpdate() == 1;
    }

    /** COMPLETING -> {@code to} for the current claim only; false when the claim was taken over. */
    public boolean endCompletion(UUID id, UUID claim, UploadSession.State to, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_session set state = ?1, updated_at = ?2,
                    completed_at = case when ?1 = 'COMPLETED' then ?2 else completed_at end
                where id = ?3 and state = 'COMPLETING' and completion_claim = ?4""")
                .setParameter(1, to.name()).setParameter(2, now).setParameter(3, id).setParameter(4, claim)
                .executeUpdate() == 1;
    }

    // --- running whole-file digest

    /**
     * Serializes the advancing of one session's running digest across replicas (transaction-scoped
     * advisory lock; not the row lock, so chunk counting is never blocked by hashing). {@code wait}
     * false: true when taken, false when another transaction holds it.
     */
    public boolean lockDigest(UUID uploadId, boolean wait) {
        long key = uploadId.getMostSignificantBits() ^ uploadId.getLeastSignificantBits() ^ 0x5a256L;
        Object taken = getEntityManager().createNativeQuery(wait ? "select pg_advisory_xact_lock(?1, ?2)"
                        : "select pg_try_advisory_xact_lock(?1, ?2)")
                .setParameter(1, (int) (key >>> 32)).setParameter(2, (int) key).getSingleResult();
        return wait || Boolean.TRUE.equals(taken);
    }

    /** The running digest as stored: {@code (digest_bytes, digest_state, state, size_bytes)}. */
    public DigestRow digestRow(UUID uploadId) {
        Object[] row = (Object[]) getEntityManager().createNativeQuery("""
                select digest_bytes, digest_state, state, size_bytes, file_sha256 from upload_session where id = ?1""")
                .setParameter(1, uploadId).getSingleResult();
        return digestRow(row);
    }

    private static DigestRow digestRow(Object[] row) {
        return new DigestRow(((Number) row[0]).longValue(), (byte[]) row[1], UploadSession.State.valueOf((String) row[2]),
                ((Number) row[3]).longValue(), (String) row[4]);
    }

    /**
     * Received chunks that start at or after {@code from}, by offset, provided the stored digest still stands at
     * {@code digestBytes} (none when it moved): read in the same snapshot as the chunks, so that a chunk which counted
     * with the digest over it after the digest was read is not read back for nothing (the advancer did, a step whose
     * save then failed: a race with every chunk that took the digest over from the advancer).
     */
    public List<ChunkRow> doneChunksFrom(UUID uploadId, long from, int limit, long digestBytes) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select idx, offset_bytes, size_bytes from upload_chunk
                where upload_id = ?1 and state = 'DONE' and offset_bytes >= ?2
                    and exists (select 1 from upload_session where id = ?1 and digest_bytes = ?4)
                order by offset_bytes limit ?3""")
                .setParameter(1, uploadId).setParameter(2, from).setParameter(3, limit).setParameter(4, digestBytes)
                .getResultList();
        return doneRows(rows);
    }

    /** Received chunks that start at or after {@code from}, by offset. */
    public List<ChunkRow> doneChunksFrom(UUID uploadId, long from, int limit) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select idx, offset_bytes, size_bytes from upload_chunk
                where upload_id = ?1 and state = 'DONE' and offset_bytes >= ?2 order by offset_bytes limit ?3""")
                .setParameter(1, uploadId).setParameter(2, from).setParameter(3, limit).getResultList();
        return doneRows(rows);
    }

    /** Rows of {@code (idx, offset_bytes, size_bytes)} of received chunks. */
    private static List<ChunkRow> doneRows(List<?> rows) {
        return rows.stream().map(r -> (Object[]) r).map(r -> new ChunkRow(((Number) r[0]).intValue(), "DONE", null,
                ((Number) r[2]).longValue(), ((Number) r[1]).longValue())).toList();
    }

    /** Stores the advanced digest, only over the value read ({@code fromBytes}: optimistic guard). */
    public boolean saveDigest(UUID uploadId, long fromBytes, long toBytes, byte[] state) {
        return getEntityManager().createNativeQuery("""
                update upload_session set digest_bytes = ?1, digest_state = ?2 where id = ?3 and digest_bytes = ?4""")
                .setParameter(1, toBytes).setParameter(2, state).setParameter(3, uploadId).setParameter(4, fromBytes)
                .executeUpdate() == 1;
    }

    public void fileSha256(UUID uploadId, String sha256) {
        getEntityManager().createNativeQuery("update upload_session set file_sha256 = ?1 where id = ?2")
                .setParameter(1, sha256).setParameter(2, uploadId).executeUpdate();
    }

    /** The running digest of a session as stored. */
    public record DigestRow(long bytes, byte[] state, UploadSession.State sessionState, long size, String fileSha256) {
    }

    /** Terminal sessions whose reservation still waits to be committed or released (quota was down). */
    public List<UploadSession> pendingQuota(int limit) {
        return find("quotaState = ?1 and state in ?2", UploadSession.QuotaState.RESERVED,
                List.of(UploadSession.State.COMPLETED, UploadSession.State.FAILED, UploadSession.State.ABORTED,
                        UploadSession.State.EXPIRED)).page(0, limit).list();
    }

    /** The unfinished upload of a video id (a replacement whose video was deleted meanwhile), if any. */
    public List<UploadSession> openOfVideo(UUID videoId) {
        return list("videoId = ?1 and state = ?2", videoId, UploadSession.State.UPLOADING);
    }

    public List<UploadSession> openOf(UUID ownerId) {
        return list("ownerId = ?1 and state = ?2", ownerId, UploadSession.State.UPLOADING);
    }

    // --- chunks

    /**
     * Claims a chunk for writing by {@code writer}'s request {@code claim} and reads the session's running
     * digest, in one statement; empty when a row for the chunk exists already (nothing claimed).
     */
    public Optional<DigestRow> claimChunk(UUID uploadId, int index, long offset, long size, UUID writer, UUID claim,
            Instant now) {
        List<?> rows = getEntityManager().createNativeQuery("""
                with claimed as (
                    insert into upload_chunk (upload_id, idx, offset_bytes, size_bytes, state, updated_at, writer, claim)
                    values (?1, ?2, ?3, ?4, 'WRITING', ?5, ?6, ?7) on conflict do nothing returning idx)
                select digest_bytes, digest_state, state, size_bytes, file_sha256 from upload_session
                where id = ?1 and exists (select 1 from claimed)""")
                .setParameter(1, uploadId).setParameter(2, index).setParameter(3, offset).setParameter(4, size)
                .setParameter(5, now).setParameter(6, writer).setParameter(7, claim).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(digestRow((Object[]) rows.get(0)));
    }

    /** A session read by {@code ChunkStatements.readAndClaim}, and whether the chunk was claimed in the same statement. */
    public record SessionClaim(UploadSession session, boolean claimed) {
    }

    /** The claim on a chunk being written, row-locked until the transaction ends; empty when none or DONE. */
    public Optional<WritingRow> writingForUpdate(UUID uploadId, int index) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select writer, claim, updated_at from upload_chunk
                where upload_id = ?1 and idx = ?2 and state = 'WRITING' for update""")
                .setParameter(1, uploadId).setParameter(2, index).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new WritingRow((UUID) row[0], (UUID) row[1], instant(row[2])));
    }

    /**
     * Whether the replica {@code writer} is gone: its advisory lock (held for its whole life on a
     * connection of its own, see WriterLease) can be taken.
     */
    public boolean writerGone(long writerKey) {
        return Boolean.TRUE.equals(getEntityManager().createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, writerKey).getSingleResult());
    }

    /** Hands a WRITING chunk from the claim {@code from} (null: a row of an older release) to a new writer. */
    public boolean takeOverClaim(UUID uploadId, int index, UUID from, long offset, long size, UUID writer,
            UUID claim, Instant now) {
        return getEntityManager().createNativeQuery("""
                update upload_chunk set updated_at = ?1, offset_bytes = ?2, size_bytes = ?3, writer = ?4, claim = ?5
                where upload_id = ?6 and idx = ?7 and state = 'WRITING' and claim is not distinct from ?8""")
                .setParameter(1, now).setParameter(2, offset).setParameter(3, size).setParameter(4, writer)
                .setParameter(5, claim).setParameter(6, uploadId).setParameter(7, index).setParameter(8, from)
                .executeUpdate() == 1;
    }

    public Optional<ChunkRow> chunk(UUID uploadId, int index) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select state, fingerprint, size_bytes, offset_bytes from upload_chunk where upload_id = ?1 and idx = ?2""")
                .setParameter(1, uploadId).setParameter(2, index).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new ChunkRow(index, (String) row[0], (String) row[1], ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue()));
    }

    /** Gives up a claim (only the request holding it: a claim taken over stays with its new writer). */
    public void releaseClaim(UUID uploadId, int index, UUID claim) {
        getEntityManager().createNativeQuery(
                "delete from upload_chunk where upload_id = ?1 and idx = ?2 and state = 'WRITING' and claim = ?3")
                .setParameter(1, uploadId).setParameter(2, index).setParameter(3, claim).executeUpdate();
    }

    /**
     * A counted chunk: where the running digest stands now, the session's received chunks and bytes
     * with it, and whether a received chunk starts where this one ends.
     */
    public record Counted(long digestBytes, int chunksReceived, long bytesReceived, boolean continued) {
    }

    @SuppressWarnings("unchecked")
    public List<Integer> receivedIndexes(UUID uploadId) {
        return ((List<Number>) getEntityManager().createNativeQuery(
                "select idx from upload_chunk where upload_id = ?1 and state = 'DONE' order by idx")
                .setParameter(1, uploadId).getResultList()).stream().map(Number::intValue).toList();
    }

    // --- live file names

    /** Takes a file name for a video; false when the user has a live video of that name. */
    public boolean takeFileName(UUID ownerId, String fileName, UUID videoId) {
        return getEntityManager().createNativeQuery("""
                insert into live_file_name (owner_id, file_name, video_id) values (?1, ?2, ?3) on conflict do nothing""")
                .setParameter(1, ownerId).setParameter(2, fileName).setParameter(3, videoId)
                .executeUpdate() == 1;
    }

    public int freeFileNameOf(UUID videoId) {
        return getEntityManager().createNativeQuery("delete from live_file_name where video_id = ?1")
                .setParameter(1, videoId).executeUpdate();
    }

    /**
     * The oldest live video of the owner whose upload had this whole-file SHA-256 (dedup by content): a COMPLETED
     * session whose video still holds its file name, i.e. was not deleted ({@code video.deleted} frees it).
     */
    public Optional<UUID> liveVideoWithContent(UUID ownerId, String sha256) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select s.video_id from upload_session s join live_file_name n on n.video_id = s.video_id
                where s.owner_id = ?1 and s.state = 'COMPLETED' and s.file_sha256 = ?2
                and not exists (select 1 from upload_session r where r.replaces = s.video_id and r.state = 'COMPLETED')
                order by s.completed_at, s.video_id limit 1""")
                .setParameter(1, ownerId).setParameter(2, sha256).getResultList();
        return rows.stream().findFirst().map(row -> (UUID) row);
    }

    /** Marks a completed session as a duplicate of an earlier video (its reservation is committed with 0 bytes). */
    public void markDuplicate(UUID id, UUID duplicateOf) {
        getEntityManager().createNativeQuery("update upload_session set duplicate_of = ?1 where id = ?2")
                .setParameter(1, duplicateOf).setParameter(2, id).executeUpdate();
    }

    /** Remembers a deleted user (idempotent); take {@link #lockOwner} first, like a completion's commit does. */
    public void rememberDeletedOwner(UUID ownerId) {
        getEntityManager().createNativeQuery("insert into deleted_owner (id) values (?1) on conflict do nothing")
                .setParameter(1, ownerId).executeUpdate();
    }

    public boolean isOwnerDeleted(UUID ownerId) {
        return !getEntityManager().createNativeQuery("select 1 from deleted_owner where id = ?1")
                .setParameter(1, ownerId).getResultList().isEmpty();
    }

    public int freeFileNamesOfOwner(UUID ownerId) {
        return getEntityManager().createNativeQuery("delete from live_file_name where owner_id = ?1")
                .setParameter(1, ownerId).executeUpdate();
    }

    /** The claim on a chunk being written: the replica, the request, when it was claimed. */
    public record WritingRow(UUID writer, UUID claim, Instant updatedAt) {
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    /** A chunk row as stored. */
    public record ChunkRow(int index, String state, String fingerprint, long size, long offset) {
        public boolean done() {
            return "DONE".equals(state);
        }
    }

    /** How many sessions are in each state (for the {@code clipflow.upload.sessions} gauges). */
    public java.util.Map<UploadSession.State, Long> countByState() {
        java.util.Map<UploadSession.State, Long> counts = new java.util.EnumMap<>(UploadSession.State.class);
        for (UploadSession.State state : UploadSession.State.values()) {
            counts.put(state, 0L);
        }
        getEntityManager().createQuery("select s.state, count(s) from UploadSession s group by s.state", Object[].class)
                .getResultList().forEach(row -> counts.put((UploadSession.State) row[0], (Long) row[1]));
        return counts;
    }
}
