package dev.clipflow.upload.ingest;

import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The two statements every chunk and tus PATCH runs, in plain JDBC: reading the session while claiming the chunk,
 * and counting it (and the two short reads around them: whether the next chunk is in, where the digest stands). Each is one atomic statement, run on its own (autocommit: one round trip) or, when the caller
 * is in a transaction, in it (the data source enlists the connection). Through a JTA transaction and Hibernate's
 * native queries each took ~2 ms of a PATCH here, four times the statement itself, on every chunk of every upload
 * (measured side by side in one JVM: claim 2.2-2.5 ms against 0.43-0.50 ms); everything else stays with
 * {@link UploadSessionRepository}. Hand-written where a library would do it: the mapping of the session's row
 * ({@link #session}); {@code ChunkStatementsTest} checks it against Hibernate's for every field.
 */
@ApplicationScoped
public class ChunkStatements {

    /** Reads the session and claims a tus segment ({@link #readAndClaim}). */
    private static final String CLAIM_TUS = claim("""
                select s.chunks_received as idx, cast(? as bigint) as off, cast(? as bigint) as len from s
                where s.protocol = 'TUS' and s.bytes_received = ? and ? + ? <= s.size_bytes and ? > 0 and ? <= ?""");
    /** Reads the session and claims a chunk of the chunked API ({@link #readAndClaim}). */
    private static final String CLAIM_CHUNKED = claim("""
                select cast(? as int) as idx, ? * s.chunk_size as off,
                    least(s.chunk_size, s.size_bytes - ? * s.chunk_size) as len from s
                where s.protocol = 'CHUNKED' and ? >= 0 and ? < s.total_chunks
                    and (? < 0 or ? = least(s.chunk_size, s.size_bytes - ? * s.chunk_size))""");

    private static String claim(String target) {
        return """
                with s as (select * from upload_session where id = ?),
                target as (%s),
                claimed as (
                    insert into upload_chunk (upload_id, idx, offset_bytes, size_bytes, state, updated_at, writer, claim)
                    select ?, t.idx, t.off, t.len, 'WRITING', ?, ?, ? from target t, s
                    where ? and s.owner_id = ? and s.state = 'UPLOADING' and s.expires_at >= ?
                    on conflict do nothing returning idx)
                select s.*, exists (select 1 from claimed) as claimed from s""".formatted(target);
    }

    /** Counts a chunk ({@link #countChunk}). */
    private static final String COUNT = count("");
    /** Counts a chunk and stores the running digest carried over it ({@link #countChunk}). */
    private static final String COUNT_WITH_DIGEST = count("""
                , digest_bytes = case when digest_bytes = ? then ? else digest_bytes end,
                  digest_state = case when digest_bytes = ? then ? else digest_state end""");

    private static String count(String digest) {
        return """
                with uploading as (
                    select id from upload_session where id = ? and state = 'UPLOADING' for no key update),
                chunk as (
                    update upload_chunk set state = 'DONE', fingerprint = ?, updated_at = ?, writer = null, claim = null
                    where upload_id = ? and idx = ? and state = 'WRITING' and claim = ?
                        and exists (select 1 from uploading) returning idx),
                session as (
                    update upload_session set chunks_received = chunks_received + 1,
                        bytes_received = bytes_received + ?, updated_at = ? %s
                    where id = ? and state = 'UPLOADING' and exists (select 1 from chunk)
                    returning digest_bytes, chunks_received, bytes_received)
                select (select digest_bytes from session), (select chunks_received from session),
                    (select bytes_received from session),
                    exists (select 1 from upload_chunk where upload_id = ? and state = 'DONE' and offset_bytes = ?)
                where exists (select 1 from session)""".formatted(digest);
    }

    private final AgroalDataSource dataSource;

    public ChunkStatements(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The first statement of a chunk PUT or tus PATCH: reads the session and claims the chunk in the same statement
     * when the request may write it right away: the caller's session, UPLOADING and not expired at {@code now}, and
     * the chunk inside it; for tus the segment at the session's offset {@code at} with {@code length} bytes
     * (1..{@code maxLength}, not past the upload's length) as the next index; for the chunked API chunk {@code at}
     * whose length is {@code length} when given (&ge; 0). Nothing is claimed when {@code mayClaim} is false, a check
     * fails or a row for the chunk exists: the caller then checks the session as read and answers as before. Empty
     * when there is no such session.
     */
    public Optional<UploadSessionRepository.SessionClaim> readAndClaim(UUID uploadId, UUID ownerId,
            UploadSession.Protocol protocol, long at, long length, long maxLength, boolean mayClaim, UUID writer,
            UUID claim, Instant now) {
        String sql = protocol == UploadSession.Protocol.TUS ? CLAIM_TUS : CLAIM_CHUNKED;
        OffsetDateTime time = now.atOffset(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            statement.setObject(p++, uploadId);
            if (protocol == UploadSession.Protocol.TUS) {
                // idx, off, len; bytes_received = at; at + length <= size; length > 0; length <= max
                statement.setLong(p++, at);
                statement.setLong(p++, length);
                statement.setLong(p++, at);
                statement.setLong(p++, at);
                statement.setLong(p++, length);
                statement.setLong(p++, length);
                statement.setLong(p++, length);
                statement.setLong(p++, maxLength);
            } else {
                // idx, off, len; at >= 0; at < total; length < 0 or length = chunk's length
                statement.setLong(p++, at);
                statement.setLong(p++, at);
                statement.setLong(p++, at);
                statement.setLong(p++, at);
                statement.setLong(p++, at);
                statement.setLong(p++, length);
                statement.setLong(p++, length);
                statement.setLong(p++, at);
            }
            statement.setObject(p++, uploadId);
            statement.setObject(p++, time);
            statement.setObject(p++, writer);
            statement.setObject(p++, claim);
            statement.setBoolean(p++, mayClaim);
            statement.setObject(p++, ownerId);
            statement.setObject(p, time);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadSessionRepository.SessionClaim(session(rows), rows.getBoolean("claimed")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming chunk " + at + " of " + uploadId + " failed", e);
        }
    }

    /**
     * One statement: marks a written chunk received (only for its claim, and only while its session is uploading:
     * the session's row is locked first, so either both change or neither), counts it on the session and, when
     * {@code digestState} is given, stores the running digest advanced over it (only if it still stands at
     * {@code offset}). Empty when the chunk did not count (nothing changed).
     */
    public Optional<UploadSessionRepository.Counted> countChunk(UUID uploadId, int index, UUID claim, long offset,
            long size, String fingerprint, byte[] digestState, Instant now) {
        String sql = digestState == null ? COUNT : COUNT_WITH_DIGEST;
        OffsetDateTime time = now.atOffset(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            statement.setObject(p++, uploadId);
            statement.setString(p++, fingerprint);
            statement.setObject(p++, time);
            statement.setObject(p++, uploadId);
            statement.setInt(p++, index);
            statement.setObject(p++, claim);
            statement.setLong(p++, size);
            statement.setObject(p++, time);
            if (digestState != null) {
                statement.setLong(p++, offset);
                statement.setLong(p++, offset + size);
                statement.setLong(p++, offset);
                statement.setBytes(p++, digestState);
            }
            statement.setObject(p++, uploadId);
            statement.setObject(p++, uploadId);
            statement.setLong(p, offset + size);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new UploadSessionRepository.Counted(rows.getLong(1), rows.getInt(2), rows.getLong(3),
                        rows.getBoolean(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting chunk " + index + " of " + uploadId + " failed", e);
        }
    }

    /** Whether a received chunk starts at {@code offset} (a statement of its own: it sees what committed until now). */
    public boolean receivedAt(UUID uploadId, long offset) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select 1 from upload_chunk where upload_id = ? and state = 'DONE' and offset_bytes = ?")) {
            statement.setObject(1, uploadId);
            statement.setLong(2, offset);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the chunks of " + uploadId + " failed", e);
        }
    }

    /** The running digest as stored (one statement on its own; a chunk waiting for the digest reads it once). */
    public UploadSessionRepository.DigestRow digestRow(UUID uploadId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select digest_bytes, digest_state, state, size_bytes, file_sha256 from upload_session where id = ?")) {
            statement.setObject(1, uploadId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No upload " + uploadId);
                }
                return new UploadSessionRepository.DigestRow(rows.getLong(1), rows.getBytes(2),
                        enumOf(UploadSession.State.class, rows.getString(3)), rows.getLong(4), rows.getString(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the digest of " + uploadId + " failed", e);
        }
    }

    /** The session in the current row of {@code rows} ({@code upload_session}'s columns by name). */
    static UploadSession session(ResultSet rows) throws SQLException {
        UploadSession session = new UploadSession();
        session.id = rows.getObject("id", UUID.class);
        session.videoId = rows.getObject("video_id", UUID.class);
        session.ownerId = rows.getObject("owner_id", UUID.class);
        session.protocol = enumOf(UploadSession.Protocol.class, rows.getString("protocol"));
        session.fileName = rows.getString("file_name");
        session.contentType = rows.getString("content_type");
        session.sizeBytes = rows.getLong("size_bytes");
        session.chunkSize = rows.getLong("chunk_size");
        session.totalChunks = rows.getInt("total_chunks");
        session.sha256 = rows.getString("sha256");
        session.title = rows.getString("title");
        session.description = rows.getString("description");
        session.category = rows.getString("category");
        session.tusMetadata = rows.getString("tus_metadata");
        session.state = enumOf(UploadSession.State.class, rows.getString("state"));
        session.quotaState = enumOf(UploadSession.QuotaState.class, rows.getString("quota_state"));
        session.chunksReceived = rows.getInt("chunks_received");
        session.bytesReceived = rows.getLong("bytes_received");
        session.failureCode = rows.getString("failure_code");
        session.failureReason = rows.getString("failure_reason");
        session.createdAt = instant(rows, "created_at");
        session.updatedAt = instant(rows, "updated_at");
        session.expiresAt = instant(rows, "expires_at");
        session.completedAt = instant(rows, "completed_at");
        session.digestBytes = rows.getLong("digest_bytes");
        session.digestState = rows.getBytes("digest_state");
        session.fileSha256 = rows.getString("file_sha256");
        session.duplicateOf = rows.getObject("duplicate_of", UUID.class);
        session.replaces = rows.getObject("replaces", UUID.class);
        session.completionClaim = rows.getObject("completion_claim", UUID.class);
        session.completionLeaseAt = instant(rows, "completion_lease_at");
        session.tusConcat = enumOf(UploadSession.Concat.class, rows.getString("tus_concat"));
        session.concatParts = rows.getString("concat_parts");
        session.concatFinal = rows.getObject("concat_final", UUID.class);
        return session;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }
}
