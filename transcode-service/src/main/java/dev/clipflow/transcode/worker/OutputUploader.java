package dev.clipflow.transcode.worker;

import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.transcode.job.service.JobService;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Copies a job's outputs from scratch to their deterministic keys ({@link BlobKeys}), so a retry
 * overwrites instead of duplicating; HLS files of an earlier run that the new run did not write
 * (a different ladder) are removed afterwards.
 */
@ApplicationScoped
public class OutputUploader {

    private final BlobStore store;

    public OutputUploader(BlobStore store) {
        this.store = store;
    }

    /** Uploads {@code video.mp4}, {@code thumbnail.jpg} and {@code hls/**}; returns the total bytes. */
    public long uploadLadder(UUID videoId, Path outDir) {
        return uploadLadder(videoId, outDir, Map.of());
    }

    /**
     * The same, skipping the HLS files {@code uploaded} already holds (segments stored while the ladder was
     * encoded); their bytes count in the total.
     */
    public long uploadLadder(UUID videoId, Path outDir, Map<String, Long> uploaded) {
        long total = 0;
        total += put(BlobKeys.mp4(videoId), outDir.resolve("video.mp4"));
        total += put(BlobKeys.thumbnail(videoId), outDir.resolve("thumbnail.jpg"));
        Path hls = outDir.resolve("hls");
        Path master = hls.resolve("master.m3u8");
        Set<String> written = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(hls)) {
            // segments first, then the media playlists, the master playlist last: a reader (a player following
            // a rendition published while it grew) never finds a playlist naming a file that is not there yet
            files = walk.filter(Files::isRegularFile).filter(f -> !f.equals(master))
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString().endsWith(".m3u8"))
                            .thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String key = BlobKeys.hls(videoId, hls.relativize(file).toString().replace('\\', '/'));
            Long early = uploaded.get(key);
            total += early != null ? early : put(key, file);
            written.add(key);
        }
        total += put(BlobKeys.hlsMaster(videoId), master);
        written.add(BlobKeys.hlsMaster(videoId));
        for (BlobInfo stale : store.list(BlobKeys.hlsPrefix(videoId))) {
            if (!written.contains(stale.key())) {
                store.delete(stale.key());
            }
        }
        return total;
    }

    /**
     * Uploads the storyboard ({@code storyboard.jpg}, then the {@code storyboard.vtt} naming it) when the pass made
     * one; returns their bytes together, or null (none made: a storyboard of an earlier run is removed).
     */
    public Long uploadStoryboard(UUID videoId, Path outDir) {
        Path vtt = outDir.resolve("storyboard.vtt");
        if (!Files.isRegularFile(vtt)) {
            store.delete(BlobKeys.storyboardVtt(videoId));
            store.delete(BlobKeys.storyboardSprite(videoId));
            return null;
        }
        long sprite = put(BlobKeys.storyboardSprite(videoId), outDir.resolve("storyboard.jpg"));
        return sprite + put(BlobKeys.storyboardVtt(videoId), vtt);
    }

    /**
     * Stores the audio-only download {@code m4a} under {@link BlobKeys#audio}; returns its size. Null (the source
     * has no audio): deletes one a former transcode of the video stored, and returns 0.
     */
    public long uploadAudio(UUID videoId, Path m4a) {
        if (m4a == null) {
            store.delete(BlobKeys.audio(videoId));
            return 0;
        }
        return put(BlobKeys.audio(videoId), m4a);
    }

    public long put(String key, Path file) {
        return store.putFile(key, file, contentType(file.getFileName().toString())).size();
    }

    /** Removes the HLS tree of a video (what a failed ladder published while it grew). */
    public void deleteHls(UUID videoId) {
        store.deletePrefix(BlobKeys.hlsPrefix(videoId));
    }

    /** Removes everything a job may have written for a video (it was deleted meanwhile). */
    public void deleteOutputs(UUID videoId) {
        store.deletePrefix(BlobKeys.videoPrefix(videoId));
        store.deletePrefix(BlobKeys.originalPrefix(videoId));
    }

    /** A deleted video's blobs go once its deletion is committed (a redelivered event does it again, harmlessly). */
    void onVideoGone(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobService.VideoGone gone) {
        try {
            deleteOutputs(gone.videoId());
        } catch (RuntimeException e) {
            Log.warnf("Could not delete the outputs of deleted video %s: %s", gone.videoId(), e.getMessage());
        }
    }

    static String contentType(String name) {
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (name.endsWith(".m4a")) {
            return "audio/mp4";
        }
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (name.endsWith(".ts")) {
            return "video/mp2t";
        }
        if (name.endsWith(".vtt")) {
            return "text/vtt";
        }
        return "application/octet-stream";
    }
}
