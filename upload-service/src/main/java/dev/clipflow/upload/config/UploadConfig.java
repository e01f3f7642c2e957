package dev.clipflow.upload.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** upload-service settings ({@code clipflow.upload.*}). */
@ConfigMapping(prefix = "clipflow.upload")
public interface UploadConfig {

    /** Chunk size given to sessions that do not ask for one (bytes). */
    @WithDefault("8388608")
    long defaultChunkSize();

    /** Smallest chunk size a session may ask for (bytes); the last chunk may be shorter. */
    @WithDefault("65536")
    long minChunkSize();

    /** Largest chunk size a session may ask for, and the largest tus PATCH body (bytes). */
    @WithDefault("104857600")
    long maxChunkSize();

    /** Largest file accepted by any upload route (bytes); keep quarkus.http.limits.max-body-size at least this. */
    @WithDefault("10737418240")
    long maxFileSize();

    /** Accepted content types; a trailing {@code /*} accepts a whole family. */
    @WithDefault("video/*,application/octet-stream,application/mp4,application/x-matroska")
    List<String> contentTypes();

    /**
     * Dedup by content: an upload whose whole-file SHA-256 equals the one of a live earlier upload of the same owner
     * is not stored, charged or transcoded again; its video shares the earlier one's media.
     */
    @WithDefault("true")
    boolean dedup();

    /** How many unfinished sessions (chunked and tus) one user may have at once. */
    @WithDefault("5")
    int maxConcurrentSessions();

    /** How long a session may stay unfinished before it expires and its parts are deleted. */
    @WithDefault("24h")
    Duration sessionTtl();

    /** How often the sweeper looks for expired sessions and pending quota calls. */
    @WithDefault("1m")
    String sweepInterval();

    /** A chunk claimed by a writer that went silent this long may be taken over by another request. */
    @WithDefault("10m")
    Duration staleChunkClaim();

    /**
     * Lease of a completion: a completion whose replica has not renewed it for this long (it died)
     * is taken over by the next complete request or the sweeper and run to its end. Keep it above
     * probe-timeout (a live completion renews before and after assembling, not during the probe).
     */
    @WithDefault("2m")
    Duration completionLease();

    /** The ffprobe executable; by default the one bundled by org.bytedeco:ffmpeg. */
    Optional<String> ffprobePath();

    /** Longest a probe may run. */
    @WithDefault("60s")
    Duration probeTimeout();

    /**
     * Bytes of a chunk's or tus segment's body that may wait on the event loop for the worker writing
     * it before the request is paused (received in blocks of 256 KiB; at least one block). Once the bodies
     * being received keep 16 MiB waiting together, each keeps one block at most. (4 MiB was faster alone, tus 64 MiB
     * 0.92x -> 1.22x of @tus/server and chunked 0.84x -> 0.88x of its floor, but took the peak RSS past 300 MB.)
     */
    @WithDefault("1048576")
    long bodyWindow();

    /**
     * Whether a chunk's or tus segment's body is taken off an HTTP/1.1 connection in front of Vert.x (copied once,
     * from Netty's pooled buffer into the body's block) instead of through Vert.x's request handler, which copies
     * every piece into a new zeroed heap buffer first. Off only to compare the two, or should a Vert.x upgrade
     * change the connection's handlers.
     */
    @WithDefault("true")
    boolean bodyTap();

    /**
     * Longest a chunk of the chunked API waits for the data right before it, being received in this replica, to
     * hand over the running SHA-256 at its start (so every chunk is hashed as it passes, nothing read back;
     * {@code DigestRelay}); 0 turns the hand-over off. Past it the chunk is written for hashing later, as any chunk
     * after a gap.
     */
    @WithDefault("500ms")
    Duration digestHandoffWait();

    /** Largest JSON request body on the non-upload routes (bytes). */
    @WithDefault("65536")
    long maxJsonBody();

    /**
     * Whether the service refuses to start without its client secret for service tokens
     * ({@code CLIPFLOW_CLIENT_SECRET}); on in prod.
     */
    @WithDefault("false")
    boolean requireClientSecret();

    /**
     * Access tokens reused once verified ({@code dev.clipflow.problem.auth.VerifiedTokens}): a tus client sends the
     * same token with every PATCH, and verifying it took ~2.5 ms of each.
     */
    dev.clipflow.problem.auth.TokenCacheSettings tokenCache();
}
