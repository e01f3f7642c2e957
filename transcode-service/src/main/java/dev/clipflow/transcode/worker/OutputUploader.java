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
import java.util.LinkedHashMap;
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

    /**
     * Uploads one rendition's folder {@code hls/<name>/} (segments, then its playlist last) before the rest
     * of the ladder; returns each key written with its size, for {@link #uploadLadder(UUID, Path, Map)}.
     */
    public Map<String, Long> uploadRendition(UUID videoId, Path outDir, String name) {
        Path hls = outDir.resolve("hls");
        Path dir = hls.resolve(name);
        List<Path> files;
        try (Stream<Path> walk = Files.list(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString().endsWith(".m3u8"))
                            .thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Long> written = new LinkedHashMap<>();
        for (Path file : files) {
            String key = BlobKeys.hls(videoId, hls.relativize(file).toString().replace('\\', '/'));
            written.put(key, put(key, file));
        }
        return written;
    }

    /** Uploads {@code video.mp4}, {@code thumbnail.jpg} and {@code hls/**}; returns the total bytes. */
    public long uploadLadder(UUID videoId, Path outDir) {
        return uploadLadder(videoId, outDir, Map.of());
    }

    /**
     * The same, skipping the HLS files {@code uploaded} already holds (a rendition stored early); their bytes
     * count in the total.
     */
    public long uploadLadder(UUID videoId, Path outDir, Map<String, Long> uploaded) {
        long total = 0;
        total += put(BlobKeys.mp4(videoId), outDir.resolve("video.mp4"));
        total += put(BlobKeys.thumbnail(videoId), outDir.resolve("thumbnail.jpg"));
        Path hls = outDir.resolve("hls");
        Set<String> written = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(hls)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // media playlists and segments first, the master playlist last: a reader never finds a
        // master naming a rendition whose files are not there yet
        Path master = hls.resolve("master.m3u8");
        for (Path file : files) {
            if (!file.equals(master)) {
                String key = BlobKeys.hls(videoId, hls.relativize(file).toString().replace('\\', '/'));
                Long early = uploaded.get(key);
                total += early != null ? early : put(key, file);
                written.add(key);
            }
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

    public long put(String key, Path file) {
        return store.putFile(key, file, contentType(file.getFileName().toString())).size();
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
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (name.endsWith(".ts")) {
            return "video/mp2t";
        }
        return "application/octet-stream";
    }
}
