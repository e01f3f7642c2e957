package dev.clipflow.upload.session.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One upload in progress or finished; the whole state of it lives in this row and its chunks. */
@Entity
@Table(name = "upload_session")
public class UploadSession {

    public enum Protocol { CHUNKED, TUS, DIRECT }

    public enum State {
        UPLOADING, COMPLETING, COMPLETED, FAILED, ABORTED, EXPIRED;

        public boolean terminal() {
            return this != UPLOADING && this != COMPLETING;
        }
    }

    public enum QuotaState { NONE, RESERVED, COMMITTED, RELEASED }

    /** tus Concatenation: a partial upload, or the final upload made of partials. */
    public enum Concat { PARTIAL, FINAL }

    @Id
    public UUID id;
    @Column(name = "video_id")
    public UUID videoId;
    @Column(name = "owner_id")
    public UUID ownerId;
    @Enumerated(EnumType.STRING)
    public Protocol protocol;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "content_type")
    public String contentType;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Column(name = "chunk_size")
    public long chunkSize;
    @Column(name = "total_chunks")
    public int totalChunks;
    public String sha256;
    public String title;
    public String description;
    public String category;
    @Column(name = "tus_metadata")
    public String tusMetadata;
    @Enumerated(EnumType.STRING)
    public State state;
    @Enumerated(EnumType.STRING)
    @Column(name = "quota_state")
    public QuotaState quotaState;
    @Column(name = "chunks_received")
    public int chunksReceived;
    @Column(name = "bytes_received")
    public long bytesReceived;
    @Column(name = "failure_code")
    public String failureCode;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    /** How many leading bytes of the file the running SHA-256 ({@link #digestState}) has consumed. */
    @Column(name = "digest_bytes")
    public long digestBytes;
    /** Encoded state of the running SHA-256 (Bouncy Castle SHA256Digest); null before the first byte. */
    @Column(name = "digest_state")
    public byte[] digestState;
    /** SHA-256 (hex) of the whole file, known from completion on. */
    @Column(name = "file_sha256")
    public String fileSha256;
    /** The completion attempt allowed to commit (a new one when a stale attempt is taken over). */
    /** The earlier video of the owner with the same content whose media this upload reuses (dedup), or null. */
    @Column(name = "duplicate_of")
    public UUID duplicateOf;

    /** The video whose file this upload replaces (its {@link #videoId} is then a new media id), or null. */
    public UUID replaces;

    @Column(name = "completion_claim")
    public UUID completionClaim;
    @Column(name = "completion_lease_at")
    public Instant completionLeaseAt;
    /** tus Concatenation: null for a plain upload. */
    @Enumerated(EnumType.STRING)
    @Column(name = "tus_concat")
    public Concat tusConcat;
    /** A final upload's partial upload ids in order, space-separated. */
    @Column(name = "concat_parts")
    public String concatParts;
    /** A partial upload's final upload, once one took it. */
    @Column(name = "concat_final")
    public UUID concatFinal;

    /** A final upload's partial upload ids, in order; empty for any other upload. */
    public java.util.List<UUID> parts() {
        if (concatParts == null || concatParts.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(concatParts.trim().split(" ")).map(UUID::fromString).toList();
    }

    /** Length of chunk {@code index} (all are chunkSize but the last). */
    public long chunkLength(int index) {
        return index < totalChunks - 1 ? chunkSize : sizeBytes - (long) (totalChunks - 1) * chunkSize;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UploadSession that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return UploadSession.class.hashCode();
    }
}
