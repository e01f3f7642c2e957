package dev.clipflow.catalog.media;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clipflow.catalog.bandwidth.QuotaGate;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoChanges;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.live.LiveListener;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Who may play what, decided without a database round trip or a worker thread for the requests a player
 * repeats (segments, playlists, ranges of the MP4). Per video id this replica keeps the row as last read (a
 * detached copy nobody changes) for at most {@code clipflow.catalog.playback-cache-ttl}; the caller's right to it
 * ({@link VideoAccess#canRead}) is judged on every request from that row, so a visibility change applies with the
 * row. How stale a decision may be:
 * <ul>
 * <li>a change committed on this replica (deletion, visibility, status, renditions, captions, thumbnail, any update
 * of the row through Hibernate) drops the row when it commits ({@link VideoChanges}): the next request reads it;</li>
 * <li>a deletion or transcode step committed on another replica drops it when that replica's {@code NOTIFY}
 * arrives ({@link LiveListener}), normally within milliseconds;</li>
 * <li>anything else changed elsewhere (another replica's visibility change, a lost notification): at most the TTL.</li>
 * </ul>
 * A share link is checked on every request (signature, expiry), only its video comes from here. Concurrent
 * requests for a video that is not here share one read (single-flight); a missing video is not remembered.
 */
@ApplicationScoped
public class PlaybackAccess {

    private final AsyncCache<UUID, Video> videos;
    private final VideoRepository repository;
    private final QuotaGate gate;
    private final boolean localStore;

    public PlaybackAccess(VideoRepository repository, QuotaGate gate, CatalogConfig config, Clock clock,
            LiveListener live, BlobStore store) {
        this.repository = repository;
        this.gate = gate;
        // stat and sendfile of a local file are as cheap as nginx's; a remote store's calls block: worker threads
        this.localStore = "file".equals(URI.create(store.location()).getScheme());
        this.videos = Caffeine.newBuilder()
                .executor(Infrastructure.getDefaultWorkerPool())
                .expireAfterWrite(config.playbackCacheTtl())
                .maximumSize(10_000)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) // tests move the clock past the TTL
                .buildAsync();
        live.subscribeAll(update -> invalidate(update.videoId()));
    }

    /**
     * Serves a signed-in caller: 404 when the video does not exist or the caller may not read it, then
     * {@code serve} on the event loop when the video and its owner's bandwidth figure are at hand here (and the
     * store is local), otherwise on a worker thread once they are.
     */
    public Uni<Response> play(UUID videoId, Caller caller, Function<Video, Response> serve) {
        return play(videoId, video -> {
            if (!VideoAccess.canRead(video, caller)) {
                throw VideoAccess.notFound(videoId);
            }
        }, serve);
    }

    /** Serves the holder of a share link already verified for {@code videoId}: 404 when the video is gone. */
    public Uni<Response> playShared(UUID videoId, Function<Video, Response> serve) {
        return play(videoId, video -> {
        }, serve);
    }

    private Uni<Response> play(UUID videoId, java.util.function.Consumer<Video> check, Function<Video, Response> serve) {
        // a copy: a client hanging up cancels its Uni, which must not cancel the read other requests share
        return Uni.createFrom().completionStage(videos.get(videoId, this::read).copy())
                .onItem().ifNull().failWith(() -> VideoAccess.notFound(videoId))
                .invoke(check)
                .call(video -> gate.ready(video.ownerId))
                .chain(video -> {
                    Uni<Response> response = Uni.createFrom().item(() -> serve.apply(video));
                    return localStore ? response : response.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                });
    }

    /** The row as committed now (a worker thread: Caffeine's executor), or null; detached once read. */
    private Video read(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findById(id));
    }

    /** At the flush (a read racing the transaction may still see the old row: the next observer drops that). */
    void changing(@Observes VideoChanges.Changed change) {
        invalidate(change.videoId());
    }

    /** Once the change is committed (or rolled back): what was read meanwhile is dropped too. */
    void changed(@Observes(during = TransactionPhase.AFTER_COMPLETION) VideoChanges.Changed change) {
        invalidate(change.videoId());
    }

    /** Drops what this replica knows of a video (it changed or was deleted). */
    public void invalidate(UUID videoId) {
        videos.synchronous().invalidate(videoId);
    }
}
