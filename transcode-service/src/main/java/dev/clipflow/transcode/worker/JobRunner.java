package dev.clipflow.transcode.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.transcode.config.TranscodeConfig;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.ladder.LadderPlanner;
import dev.clipflow.transcode.ladder.Rung;
import dev.clipflow.transcode.ladder.RungSpec;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.LadderOutput;
import dev.clipflow.transcode.media.MediaException;
import dev.clipflow.transcode.media.MediaInfo;
import dev.clipflow.transcode.media.MediaTool;
import dev.clipflow.transcode.media.Progress;
import dev.clipflow.transcode.media.TranscodeLimits;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The media work of one job, on local scratch files: fetch the inputs, run ffmpeg, store the
 * outputs under the video's keys. Returns the {@code video.transcoded} payload (null for a
 * THUMBNAIL job). Throws {@link MediaException} (permanent or not), {@link Abort.AbortedException},
 * or any other exception for transient trouble (storage, I/O).
 */
@ApplicationScoped
public class JobRunner {

    private final MediaTool media;
    private final BlobStore store;
    private final OutputUploader uploader;
    private final LadderPlanner planner;
    private final Path scratchRoot;
    private final ObjectMapper json;
    private final TranscodeLimits limits;
    private final JobStore jobs;

    public JobRunner(MediaTool media, BlobStore store, OutputUploader uploader, TranscodeConfig config,
            ObjectMapper json, JobStore jobs) {
        this.jobs = jobs;
        this.media = media;
        this.store = store;
        this.uploader = uploader;
        this.planner = new LadderPlanner(RungSpec.parse(config.ladder()));
        this.scratchRoot = Path.of(config.scratchDir()).toAbsolutePath();
        this.json = json;
        this.limits = TranscodeLimits.of(config.limits());
    }

    public JobOutput run(Job job, Progress progress, Abort abort) {
        return run(job, progress, abort, ready -> { });
    }

    /**
     * @param renditionReady told of each rendition that plays before the ladder is done (its first segments and
     *        growing playlist are stored; the lowest first), to publish {@code video.rendition_ready}
     */
    public JobOutput run(Job job, Progress progress, Abort abort, Consumer<VideoRenditionReady> renditionReady) {
        try (Scratch scratch = Scratch.create(scratchRoot, job.id.toString())) {
            return switch (job.type) {
                case TRANSCODE -> {
                    Path source = fetch(sourceKey(job), scratch.resolve("source"), "original upload");
                    yield ladder(job, source, scratch, progress.range(0.02, 1.0), abort, null, renditionReady);
                }
                case TRIM -> trim(job, scratch, progress, abort, renditionReady);
                case MERGE -> merge(job, scratch, progress, abort, renditionReady);
                case THUMBNAIL -> JobOutput.thumbnail(thumbnail(job, scratch, abort));
            };
        }
    }

    private JobOutput trim(Job job, Scratch scratch, Progress progress, Abort abort,
            Consumer<VideoRenditionReady> renditionReady) {
        List<UUID> sources = job.sources();
        if (sources.size() != 1) {
            throw MediaException.permanent("A trim needs exactly one source video.");
        }
        checkOwnSources(job);
        JsonNode params = params(job);
        double start = params.path("startSeconds").asDouble(-1);
        double end = params.path("endSeconds").asDouble(-1);
        Path source = fetch(BlobKeys.mp4(sources.get(0)), scratch.resolve("source.mp4"), "source video");
        MediaInfo info = media.probe(source);
        limits.check(info);
        Path cut = scratch.resolve("trimmed.mp4");
        boolean copy = media.trim(source, info, start, end, cut, progress.range(0, 0.3), abort);
        Log.infof("Job %s: trimmed %s [%.3f, %.3f) by %s", job.id, sources.get(0), start, end,
                copy ? "stream copy" : "re-encoding");
        long original = uploader.put(BlobKeys.original(job.videoId), cut);
        return ladder(job, cut, scratch, progress.range(0.3, 1.0), abort, original, renditionReady);
    }

    private JobOutput merge(Job job, Scratch scratch, Progress progress, Abort abort,
            Consumer<VideoRenditionReady> renditionReady) {
        List<UUID> sources = job.sources();
        if (sources.size() < 2) {
            throw MediaException.permanent("A merge needs two or more source videos.");
        }
        checkOwnSources(job);
        List<Path> inputs = new ArrayList<>();
        List<MediaInfo> infos = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path input = fetch(BlobKeys.mp4(sources.get(i)), scratch.resolve("source-" + i + ".mp4"), "source video");
            inputs.add(input);
            MediaInfo info = media.probe(input);
            limits.check(info);
            infos.add(info);
        }
        Path merged = scratch.resolve("merged.mp4");
        media.merge(inputs, infos, merged, progress.range(0, 0.4), abort);
        long original = uploader.put(BlobKeys.original(job.videoId), merged);
        return ladder(job, merged, scratch, progress.range(0.4, 1.0), abort, original, renditionReady);
    }

    /**
     * Any internal publisher may send {@code transcode.requests}: a trim or merge may only read videos of the
     * job's owner, or it would copy another user's video into the owner's (checked before anything is fetched).
     */
    private void checkOwnSources(Job job) {
        jobs.foreignSource(job).ifPresent(source -> {
            throw MediaException.permanent("Source video " + source + " is not a video of this job's owner.");
        });
    }

    private long thumbnail(Job job, Scratch scratch, Abort abort) {
        Path video = fetch(BlobKeys.mp4(job.videoId), scratch.resolve("video.mp4"), "transcoded video");
        MediaInfo info = media.probe(video);
        JsonNode at = params(job).path("atSeconds");
        Path target = scratch.resolve("thumbnail.jpg");
        media.thumbnail(video, info, at.isNumber() ? at.asDouble() : null, target, abort);
        return uploader.put(BlobKeys.thumbnail(job.videoId), target);
    }

    /**
     * Probe, plan, encode the ladder (each segment stored as soon as ffmpeg finished it, each rendition
     * announced once its growing playlist is stored: the video plays long before the ladder is done),
     * thumbnail, upload the rest (MP4, thumbnail, the final VOD playlists, the master last, then the storyboard
     * made in the same pass, whose bytes go to quota apart: {@code video.stored} of kind storyboard, and the
     * audio-only download when the source has audio, likewise of kind audio; else one a former transcode of the
     * video left is deleted). {@code originalSize}: the bytes of the original this job stored itself (trim, merge),
     * null for an upload's.
     */
    private JobOutput ladder(Job job, Path input, Scratch scratch, Progress progress, Abort abort,
            Long originalSize, Consumer<VideoRenditionReady> renditionReady) {
        MediaInfo info = media.probe(input);
        limits.check(info);
        List<Rung> rungs = planner.plan(info.displayWidth(), info.displayHeight());
        Log.infof("Job %s: %s %dx%d (rotation %d) %.2f s, audio %s -> %s", job.id, info.videoCodec(),
                info.width(), info.height(), info.rotation(), info.durationSeconds(), info.audioCodec(),
                rungs.stream().map(Rung::name).toList());
        Path out = scratch.resolve("out");
        LiveRenditions live = new LiveRenditions(store, job, rungs.stream().map(Rung::name).toList(), abort,
                renditionReady);
        LadderOutput output = media.encodeLadder(input, info, rungs, out, progress.range(0, 0.93), abort, live);
        MediaInfo mp4 = media.probe(output.mp4());
        media.thumbnail(output.mp4(), mp4, null, output.thumbnail(), abort);
        progress.update(0.95);
        abort.check();
        long total = uploader.uploadLadder(job.videoId, out, live.segmentSizes());
        Long storyboardBytes = uploader.uploadStoryboard(job.videoId, out);
        long audioBytes = uploader.uploadAudio(job.videoId, info.hasAudio() ? output.audio() : null);
        long mp4Size = store.stat(BlobKeys.mp4(job.videoId)).map(b -> b.size()).orElse(0L);
        long thumbnailSize = store.stat(BlobKeys.thumbnail(job.videoId)).map(b -> b.size()).orElse(0L);
        LadderOutput.Rendition top = output.renditions().get(output.renditions().size() - 1);
        List<VideoTranscoded.Rendition> renditions = output.renditions().stream()
                .map(r -> new VideoTranscoded.Rendition(r.name(), r.width(), r.height(), r.bandwidth(),
                        BlobKeys.hls(job.videoId, r.name() + "/index.m3u8")))
                .toList();
        return JobOutput.transcoded(new VideoTranscoded(job.id, job.videoId, job.ownerId, round(mp4.durationSeconds()),
                top.width(), top.height(), "h264", info.hasAudio() ? "aac" : null, BlobKeys.mp4(job.videoId), mp4Size,
                BlobKeys.hlsMaster(job.videoId), BlobKeys.thumbnail(job.videoId), renditions, total, thumbnailSize,
                originalSize, storyboardBytes == null ? null : BlobKeys.storyboardVtt(job.videoId),
                info.hasAudio() ? BlobKeys.audio(job.videoId) : null), storyboardBytes, audioBytes);
    }

    private String sourceKey(Job job) {
        JsonNode key = params(job).path(dev.clipflow.transcode.job.service.JobService.SOURCE_KEY);
        if (!key.isTextual()) {
            return BlobKeys.original(job.videoId);
        }
        String source;
        try {
            source = BlobKeys.validate(key.asText());
        } catch (IllegalArgumentException e) {
            throw MediaException.permanent("The source key of the job is invalid.");
        }
        // any internal publisher may send transcode.requests: only the video's own files may be its source
        if (!source.startsWith(BlobKeys.originalPrefix(job.videoId)) && !source.startsWith(BlobKeys.videoPrefix(job.videoId))) {
            throw MediaException.permanent("The source named by the request is not a file of this video.");
        }
        return source;
    }

    private Path fetch(String key, Path target, String what) {
        try {
            store.download(key, target);
            return target;
        } catch (BlobNotFoundException e) {
            throw MediaException.permanent("The " + what + " is missing from storage.");
        }
    }

    private JsonNode params(Job job) {
        if (job.params == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(job.params);
        } catch (JsonProcessingException e) {
            throw MediaException.permanent("The job parameters are unreadable.");
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
