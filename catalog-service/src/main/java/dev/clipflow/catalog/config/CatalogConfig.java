package dev.clipflow.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of catalog-service ({@code clipflow.catalog.*}). */
@ConfigMapping(prefix = "clipflow.catalog")
public interface CatalogConfig {

    /** Base URL clients reach the platform under (the gateway); prefixes thumbnailUrl, streamUrl, hlsUrl and share URLs. */
    @WithDefault("http://localhost:8080")
    String publicBaseUrl();

    /** Share links. */
    Share share();

    /** Bandwidth accounting and enforcement. */
    Bandwidth bandwidth();

    /**
     * How often a live event stream ({@code GET /api/videos/{id}/events}) sends a keep-alive comment, so that
     * proxies and load balancers do not close a stream that has nothing to say for a while.
     */
    @WithDefault("15s")
    Duration eventsKeepAlive();

    /** Lifetime of the URL answered by {@code GET /api/videos/{id}/direct-url}. */
    @WithDefault("15m")
    Duration directUrlTtl();

    /** Largest custom thumbnail accepted by {@code PUT /api/videos/{id}/thumbnail}, in bytes. */
    @WithDefault("2097152")
    int maxThumbnailBytes();

    /** {@code Cache-Control} max-age of progressive MP4 and thumbnails. */
    @WithDefault("1h")
    Duration mediaMaxAge();

    /**
     * On a store that signs URLs (GCS): answer MP4 and HLS segment requests with a 307 redirect to a
     * V4 signed URL (the bytes then go from the store to the client, charged as bandwidth when the
     * URL is signed) instead of streaming them through this service. Playlists, downloads and
     * thumbnails are always served here. No effect on the local store (zero-copy sendfile).
     */
    @WithDefault("false")
    boolean signedRedirects();

    /** Lifetime of a signed URL answered by {@code signed-redirects}. */
    @WithDefault("5m")
    Duration signedRedirectTtl();

    /**
     * How long a replica reuses a video's row to decide who may play it (segments, playlists, MP4 ranges, share
     * links) without reading the database: a change made on this replica (or a deletion or transcode step
     * announced by another) applies at once, any other change of another replica within this time. 0 reads the
     * row on every request.
     */
    @WithDefault("5s")
    Duration playbackCacheTtl();

    /** Access tokens verified lately, reused for the requests a player repeats (see {@code VerifiedTokens}). */
    dev.clipflow.problem.auth.TokenCacheSettings tokenCache();

    /** {@code Cache-Control} max-age of HLS playlists (short: they are cheap and may change on re-transcode). */
    @WithDefault("5s")
    Duration playlistMaxAge();

    /**
     * Whether the service refuses to start without its client secret for service tokens
     * ({@code CLIPFLOW_CLIENT_SECRET}); on in prod.
     */
    @WithDefault("false")
    boolean requireClientSecret();

    /**
     * Whether uploaded originals are kept after their transcode (owners download them from
     * {@code GET /api/videos/{id}/original}). Off: catalog deletes each original once the video is READY,
     * and the route answers 410 {@code video.original_not_kept}.
     */
    @WithDefault("true")
    boolean keepOriginals();

    /** Captions (SRT or WebVTT per language). */
    Captions captions();

    /** Trim and merge. */
    Edits edits();

    /**
     * Replacing a video's file: how long the media it played before stays served (a player holding the old HLS
     * playlists finishes with old segments) and stored after the switch; longer than a player keeps a media playlist.
     */
    @WithDefault("10m")
    Duration replaceGrace();

    /**
     * A pending replace whose upload never arrived blocks a new one this long (a little longer than an upload
     * session lives), then a new replace cancels it.
     */
    @WithDefault("25h")
    Duration replaceAbandonAfter();

    interface Captions {

        /** Largest caption file accepted by {@code PUT /api/videos/{id}/captions/{lang}}, in bytes. */
        @WithDefault("524288")
        int maxBytes();

        /** Most languages one video may have captions in. */
        @WithDefault("20")
        int maxLanguages();
    }

    interface Edits {

        /** Videos of one user PROCESSING at a time (uploads and edits) beyond which a new edit is refused (429). */
        @WithDefault("5")
        int maxQueued();

        /**
         * Storage reserved for an edit's result, as a multiple of the sources' MP4 bytes it takes (the result's
         * original is about that size); the real size is charged when the result is transcoded.
         */
        @WithDefault("1.5")
        double estimateFactor();
    }

    interface Share {

        /**
         * HMAC-SHA256 key signing share tokens (at least 32 characters; from a Secret in production).
         * Changing it invalidates every link.
         */
        Optional<String> key();

        /**
         * Whether a missing {@link #key()} may be replaced by a random key per process (dev, test). Off in
         * prod: links signed by one replica would fail on the others and die at every restart, so the
         * service refuses to start without a key.
         */
        @WithDefault("true")
        boolean randomKey();

        /** Longest lifetime a share link may ask for. */
        @WithDefault("30d")
        Duration maxTtl();

        /** Lifetime when the request names none. */
        @WithDefault("24h")
        Duration defaultTtl();
    }

    interface Bandwidth {

        /** How often counted bytes are reported as {@code usage.bandwidth} events. */
        @WithDefault("5s")
        String flushInterval();

        /** How long a user's bandwidth state from quota-service is reused. */
        @WithDefault("3s")
        Duration cacheTtl();

        /** Whether serving is refused once the owner's bandwidth is used up. */
        @WithDefault("true")
        boolean enforce();
    }
}
