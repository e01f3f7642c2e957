package dev.clipflow.catalog.video;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The catalog's record of one video. */
@Entity
@DynamicUpdate
@Table(name = "video")
@jakarta.persistence.EntityListeners(VideoChanges.class)
public class Video {

    @Id
    public UUID id;

    @Column(name = "owner_id")
    public UUID ownerId;

    public String title;

    public String description;

    public String category;

    @Enumerated(EnumType.STRING)
    public Visibility visibility = Visibility.PRIVATE;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Enumerated(EnumType.STRING)
    public VideoStatus status;

    public int progress;

    @Column(name = "duration_seconds")
    public Double durationSeconds;

    public Integer width;

    public Integer height;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Rendition> renditions;

    /** Renditions playable while the ladder is still being made (PROCESSING); null otherwise. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "ready_renditions")
    public List<ReadyRendition> readyRenditions;

    @Column(name = "mp4_key")
    public String mp4Key;

    @Column(name = "mp4_size_bytes")
    public Long mp4SizeBytes;

    @Column(name = "hls_master_key")
    public String hlsMasterKey;

    @Column(name = "thumbnail_key")
    public String thumbnailKey;

    /** The audio-only download (AAC in MP4) from {@code video.transcoded}; null when the source has no audio. */
    @Column(name = "audio_key")
    public String audioKey;

    @Column(name = "thumbnail_content_type")
    public String thumbnailContentType;

    /** The storyboard's WebVTT file (its sprite {@code storyboard.jpg} beside it), or null: none was made. */
    @Column(name = "storyboard_key")
    public String storyboardKey;

    /** Where the uploaded file is stored (from {@code video.uploaded}; edits: the transcoder's standard key). */
    @Column(name = "original_key")
    public String originalKey;

    /** The uploaded file's SHA-256 (hex) from {@code video.uploaded}; null for edit results. */
    @Column(name = "original_sha256")
    public String originalSha256;

    @Column(name = "original_content_type")
    public String originalContentType;

    /** When catalog deleted the original after the transcode ({@code keep-originals=false}), or null. */
    @Column(name = "original_deleted_at")
    public Instant originalDeletedAt;

    /** The video's captions, one per language (their words are in the caption table, their files in the store). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<CaptionTrack> captions;

    /**
     * Shared media (dedup by content): the video whose blobs ({@code videos/{id}/}, {@code originals/{id}/}) this
     * one plays, or null when it plays its own. Always a root (a video with its own media), never a chain.
     */
    @Column(name = "media_of")
    public UUID mediaOf;

    @Column(name = "failure_reason")
    public String failureReason;

    /**
     * Replacing the file: the media id the new file is uploaded and transcoded under while the video keeps playing its
     * current media, or null when no replace is pending. Events of that id update this video, never create one.
     */
    public UUID replacing;

    @Column(name = "replace_started_at")
    public Instant replaceStartedAt;

    /** The pending replacement's size, SHA-256 and type from its {@code video.uploaded} (null until it arrived). */
    @Column(name = "replace_size_bytes")
    public Long replaceSizeBytes;

    @Column(name = "replace_sha256")
    public String replaceSha256;

    @Column(name = "replace_content_type")
    public String replaceContentType;

    /** Why the last replace failed (the video kept its media), or null. */
    @Column(name = "replace_failure_reason")
    public String replaceFailureReason;

    /** The media root the video played before its last replace, still served until {@link #previousRootUntil}. */
    @Column(name = "previous_root")
    public UUID previousRoot;

    @Column(name = "previous_root_until")
    public Instant previousRootUntil;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The video whose blobs hold this one's media: itself unless it shares another's (see {@link #mediaOf}). */
    public UUID mediaRoot() {
        return mediaOf != null ? mediaOf : id;
    }

    public boolean isReady() {
        return status == VideoStatus.READY;
    }

    /** READY, or still PROCESSING with at least one rendition stored (HLS plays those). */
    public boolean isPlayable() {
        return isReady() || (status == VideoStatus.PROCESSING && readyRenditions != null && !readyRenditions.isEmpty());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Video that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Video.class.hashCode();
    }

    /** One language of captions: its BCP 47 tag, the name players show, the size of its WebVTT file. */
    public record CaptionTrack(String lang, String name, long sizeBytes) {
    }

    /** One rung of the HLS ladder of a READY video (as stored; clients see {@code VideoView.Rendition}). */
    public record Rendition(String name, int width, int height, long bandwidth) {
    }

    /** A rendition playing before the ladder is done (still growing), with what a master playlist says of it. */
    public record ReadyRendition(String name, int width, int height, long bandwidth, long averageBandwidth,
            String codecs, double frameRate) {
    }
}
