package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.SegmentListener;
import io.quarkus.logging.Log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Publishes a ladder while ffmpeg writes it: each finished segment is stored at its final key, then the
 * rendition's growing EVENT playlist naming only stored segments; once a rendition's playlist is stored it is
 * announced ({@code video.rendition_ready}), in ladder order (the lowest first), and the video plays.
 * <p>
 * A retry must not shrink what an earlier attempt published (an EVENT playlist only grows, a player may be
 * following it): a playlist is stored only once it lists more segments than the one already stored. The
 * segments of a retry overwrite the earlier attempt's with the same cuts (keyframes are forced on the segment
 * boundaries), so a stored playlist never names a missing or different-length segment.
 */
final class LiveRenditions implements SegmentListener {

    private final BlobStore store;
    private final Job job;
    private final List<String> ladder;
    private final Abort abort;
    private final Consumer<VideoRenditionReady> announce;
    private final Map<String, Long> segmentSizes = new HashMap<>();
    private final Map<String, Integer> storedSegments = new HashMap<>();
    private final Map<String, Growth> latest = new HashMap<>();
    private int announced;

    LiveRenditions(BlobStore store, Job job, List<String> ladder, Abort abort, Consumer<VideoRenditionReady> announce) {
        this.store = store;
        this.job = job;
        this.ladder = ladder;
        this.abort = abort;
        this.announce = announce;
    }

    /** The segments stored so far, by key, with their sizes (they count in the ladder's total once). */
    Map<String, Long> segmentSizes() {
        return segmentSizes;
    }

    @Override
    public void grown(Growth growth) {
        abort.check();
        String name = growth.rendition().name();
        for (java.nio.file.Path segment : growth.segments()) {
            String key = BlobKeys.hls(job.videoId, name + "/" + segment.getFileName());
            segmentSizes.put(key, store.putFile(key, segment, OutputUploader.contentType(key)).size());
        }
        String playlistKey = playlistKey(name);
        int stored = storedSegments.computeIfAbsent(name, n -> storedCount(playlistKey));
        if (growth.listed() > stored) {
            byte[] text = growth.playlist().getBytes(StandardCharsets.UTF_8);
            store.put(playlistKey, new ByteArrayInputStream(text), text.length, OutputUploader.contentType(playlistKey));
            storedSegments.put(name, growth.listed());
        }
        latest.put(name, growth);
        while (announced < ladder.size() && storedSegments.getOrDefault(ladder.get(announced), 0) > 0) {
            abort.check();
            Growth ready = latest.get(ladder.get(announced));
            announced++;
            var r = ready.rendition();
            announce.accept(new VideoRenditionReady(job.id, job.videoId, job.ownerId,
                    new VideoRenditionReady.Rendition(r.name(), r.width(), r.height(), r.bandwidth(),
                            r.averageBandwidth(), r.codecs(), ready.frameRate(), playlistKey(r.name())),
                    List.copyOf(ladder.subList(0, announced)), ladder));
            Log.infof("Job %s: %s plays (%d segment(s) stored) while the ladder is encoded", job.id, r.name(),
                    storedSegments.get(r.name()));
        }
    }

    private String playlistKey(String rendition) {
        return BlobKeys.hls(job.videoId, rendition + "/index.m3u8");
    }

    /** How many segments the playlist an earlier attempt stored lists (0: none stored). */
    private int storedCount(String key) {
        var info = store.stat(key);
        if (info.isEmpty()) {
            return 0;
        }
        try (InputStream in = store.open(key, 0, info.get().size())) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> uris = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    uris.add(line);
                }
            }
            return uris.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.clipflow.storage.BlobNotFoundException e) {
            return 0;
        }
    }
}
