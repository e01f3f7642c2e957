package dev.clipflow.catalog.media;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.service.BlobCleanup;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The uploaded file of a video, byte for byte: its owner (or an admin) downloads it with ranges and conditional
 * requests, its SHA-256 from {@code video.uploaded} as the strong ETag and {@code Repr-Digest}. With
 * {@code clipflow.catalog.keep-originals=false} the original is deleted once the video is READY (after the
 * commit that made it READY) and {@code video.stored} (kind {@code original}, 0 bytes) tells quota-service it
 * no longer occupies the store.
 */
@ApplicationScoped
public class Originals {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final VideoAccess access;
    private final MediaServer server;
    private final BlobStore store;
    private final KeepOriginals config;
    private final Outbox outbox;
    private final Event<BlobCleanup.Files> deletions;

    public Originals(VideoAccess access, MediaServer server, BlobStore store, KeepOriginals config, Outbox outbox,
            Event<BlobCleanup.Files> deletions) {
        this.access = access;
        this.server = server;
        this.store = store;
        this.config = config;
        this.outbox = outbox;
        this.deletions = deletions;
    }

    /** The video whose original the caller asks for: the owner's or, for an admin, anyone's. */
    @Transactional
    public Video owned(UUID videoId, Caller caller) {
        return access.changeable(videoId, caller);
    }

    public Response serve(Video video, MediaServer.Conditions conditions) {
        if (video.originalDeletedAt != null) {
            throw new ProblemException(410, "video.original_not_kept", "Gone",
                    "The original of this video was deleted after transcoding: this platform keeps no originals.");
        }
        String key = video.originalKey != null ? video.originalKey : BlobKeys.original(video.id);
        String sha256 = video.originalSha256 == null ? null : video.originalSha256.toLowerCase(Locale.ROOT);
        boolean digest = sha256 != null && SHA256.matcher(sha256).matches();
        String type = video.originalContentType == null || video.originalContentType.isBlank()
                ? "application/octet-stream" : video.originalContentType;
        return server.serve(new MediaServer.Item(key, video.ownerId, type,
                MediaServer.cacheControl(Duration.ofHours(1), false), fileName(video), true,
                digest ? sha256 : null,
                digest ? "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":" : null),
                conditions);
    }

    /**
     * The video just became READY: without originals kept, its original is marked deleted, quota is told, and the
     * blob goes after the commit. Idempotent (a redelivered {@code video.transcoded} does nothing more).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void transcoded(Video video) {
        if (video.originalKey == null) {
            video.originalKey = BlobKeys.original(video.id); // an edit's result: the transcoder stored it there
        }
        if (config.keep() || video.originalDeletedAt != null) {
            return;
        }
        video.originalDeletedAt = Instant.now();
        outbox.publish(Topics.VIDEO_STORED, video.id,
                new VideoStored(video.id, video.ownerId, VideoStored.ORIGINAL, 0, video.originalDeletedAt));
        deletions.fire(new BlobCleanup.Files("the original of video " + video.id + ", originals are not kept",
                List.of(video.originalKey)));
    }

    /** The uploaded file's name, else the title (the store keeps no extension of its own). */
    static String fileName(Video video) {
        return video.fileName != null && !video.fileName.isBlank() ? video.fileName : video.title;
    }
}
