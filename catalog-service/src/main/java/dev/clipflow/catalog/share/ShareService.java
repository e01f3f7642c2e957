package dev.clipflow.catalog.share;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Issuing share links (owner or admin) and resolving them to their video (anyone holding the link). */
@ApplicationScoped
public class ShareService {

    public record ShareLink(String url, String token, Instant expiresAt) {
    }

    private final ShareTokens tokens;
    private final VideoAccess access;
    private final VideoRepository videos;
    private final VideoLinks links;
    private final CatalogConfig config;
    private final BlobStore store;

    public ShareService(ShareTokens tokens, VideoAccess access, VideoRepository videos, VideoLinks links,
            CatalogConfig config, BlobStore store) {
        this.store = store;
        this.tokens = tokens;
        this.access = access;
        this.videos = videos;
        this.links = links;
        this.config = config;
    }

    @Transactional
    public ShareLink share(UUID videoId, Caller caller, Long expiresInSeconds) {
        Video video = access.changeable(videoId, caller);
        Duration ttl = expiresInSeconds == null ? config.share().defaultTtl() : Duration.ofSeconds(expiresInSeconds);
        if (expiresInSeconds != null && (expiresInSeconds < 1 || ttl.compareTo(config.share().maxTtl()) > 0)) {
            throw ProblemException.badRequest("share.invalid_expiry", "expiresInSeconds must be between 1 and "
                    + config.share().maxTtl().toSeconds() + ".");
        }
        return link(video.id, ttl);
    }

    public record DirectUrl(String url, Instant expiresAt) {
    }

    /**
     * A short-lived URL straight to the MP4: the store's signed URL where it signs one (GCS),
     * otherwise the share-token stream URL (local store).
     */
    public DirectUrl directUrl(Video video) {
        dev.clipflow.catalog.media.Playback.requireReady(video);
        Duration ttl = config.directUrlTtl();
        Instant expiresAt = tokens.now().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return store.signedUrl(video.mp4Key, ttl)
                .map(uri -> new DirectUrl(uri.toString(), expiresAt))
                .orElseGet(() -> {
                    ShareLink link = link(video.id, ttl);
                    return new DirectUrl(link.url() + "/stream", link.expiresAt());
                });
    }

    /** A link to an existing video, for {@code direct-url} on stores that cannot sign URLs. */
    public ShareLink link(UUID videoId, Duration ttl) {
        Instant expiresAt = tokens.now().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String token = tokens.issue(videoId, expiresAt);
        return new ShareLink(links.shareUrl(token), token, expiresAt);
    }

    /** The id of the video a token names, counted as a use: 404 when tampered, 410 when expired (no database). */
    public UUID videoOf(String token) {
        UUID videoId = tokens.verify(token).videoId();
        dev.clipflow.catalog.config.CatalogMeters.shareUsed();
        return videoId;
    }

    /** The video a token names: 404 when tampered or the video is gone, 410 when expired. */
    @Transactional
    public Video resolve(String token) {
        ShareTokens.Grant grant = tokens.verify(token);
        Video video = videos.findById(grant.videoId());
        if (video == null) {
            throw ProblemException.notFound("This share link");
        }
        dev.clipflow.catalog.config.CatalogMeters.shareUsed();
        return video;
    }
}
