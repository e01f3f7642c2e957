package dev.clipflow.catalog.edit;

import dev.clipflow.catalog.bandwidth.client.QuotaClient;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLifecycle;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Trim and merge: checks the sources (the caller may change each, each is READY and named once, the
 * time range lies within the real duration) and the caller's queue (at most
 * {@code clipflow.catalog.edits.max-queued} videos PROCESSING), reserves the result's storage in
 * quota-service (estimated from the sources; quota-service charges the real size on
 * {@code video.transcoded} and releases it on {@code video.failed} or {@code video.deleted}), creates the
 * resulting video (PROCESSING, owned by the caller) and asks the transcoder for it through the outbox, all
 * before answering 202 and, but for the reservation, in one transaction.
 */
@ApplicationScoped
public class EditService {

    public static final int MAX_MERGE = 20;
    private static final int MAX_TITLE = 200;

    public record Accepted(UUID jobId, UUID videoId) {
    }

    /** How long an edit's reservation may wait for its result (quota-service takes at most 7 days). */
    private static final Duration RESERVATION_TTL = Duration.ofDays(6);

    private final VideoAccess access;
    private final VideoLifecycle lifecycle;
    private final VideoRepository videos;
    private final QuotaClient quota;
    private final Outbox outbox;
    private final CatalogConfig.Edits config;

    public EditService(VideoAccess access, VideoLifecycle lifecycle, VideoRepository videos, QuotaClient quota,
            Outbox outbox, CatalogConfig config) {
        this.access = access;
        this.lifecycle = lifecycle;
        this.videos = videos;
        this.quota = quota;
        this.outbox = outbox;
        this.config = config.edits();
    }

    @Transactional
    public Accepted trim(UUID sourceId, Caller caller, double start, double end, String title) {
        Video source = source(sourceId, caller);
        if (!Double.isFinite(start) || !Double.isFinite(end) || start < 0) {
            throw ProblemException.badRequest("edit.invalid_range", "startSeconds must be 0 or more.");
        }
        if (start >= end) {
            throw ProblemException.badRequest("edit.invalid_range", "startSeconds must be before endSeconds.");
        }
        double duration = source.durationSeconds == null ? 0 : source.durationSeconds;
        if (end > duration + 0.001) {
            throw ProblemException.badRequest("edit.invalid_range",
                    "endSeconds " + end + " is beyond the video's duration of " + duration + " s.");
        }
        String name = title(title, source.title + " (trimmed)");
        admit(caller);
        Video result = lifecycle.createProcessing(caller.id(), name, source.description, source.category,
                baseName(source) + "-trim.mp4");
        reserve(result, estimate(source, (end - start) / duration));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("startSeconds", start);
        params.put("endSeconds", end);
        params.put("title", name);
        return request(TranscodeRequest.Type.TRIM, result, List.of(source.mediaRoot()), caller, params);
    }

    @Transactional
    public Accepted merge(List<UUID> sourceIds, Caller caller, String title) {
        if (sourceIds == null || sourceIds.size() < 2) {
            throw ProblemException.badRequest("edit.merge_too_few", "A merge needs at least two videoIds.");
        }
        if (sourceIds.size() > MAX_MERGE) {
            throw ProblemException.badRequest("edit.merge_too_many", "A merge takes at most " + MAX_MERGE + " videos.");
        }
        List<Video> sources = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (UUID id : sourceIds) {
            if (id == null) {
                throw ProblemException.badRequest("request.invalid_value", "videoIds must not contain null.");
            }
            if (!seen.add(id)) {
                throw ProblemException.badRequest("edit.duplicate_video",
                        "Video " + id + " is named more than once; a merge takes each video once.");
            }
        }
        for (UUID id : sourceIds) {
            sources.add(source(id, caller));
        }
        Video first = sources.get(0);
        String name = title(title, "Merge of " + sources.size() + " videos");
        admit(caller);
        Video result = lifecycle.createProcessing(caller.id(), name, null, first.category,
                baseName(first) + "-merge.mp4");
        reserve(result, sources.stream().mapToLong(v -> estimate(v, 1)).sum());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("title", name);
        // the transcoder reads each source's MP4 where it lives: a duplicate plays the media of an earlier video
        return request(TranscodeRequest.Type.MERGE, result, sources.stream().map(Video::mediaRoot).toList(), caller,
                params);
    }

    private Accepted request(TranscodeRequest.Type type, Video result, List<UUID> sources, Caller caller,
            Map<String, Object> params) {
        UUID jobId = UUID.randomUUID();
        TranscodeRequest request = new TranscodeRequest(jobId, type, result.id, List.copyOf(sources), caller.id(), params);
        outbox.publish(Topics.TRANSCODE_REQUESTS, result.id, request);
        return new Accepted(jobId, result.id);
    }

    /** At most max-queued videos of the caller PROCESSING (checked under the caller's lock: parallel requests count). */
    private void admit(Caller caller) {
        videos.lockOwner(caller.id());
        if (videos.processingOf(caller.id()) >= config.maxQueued()) {
            throw new ProblemException(Problem.of(429, "edit.too_many_queued", "Too Many Requests",
                    "You have " + config.maxQueued() + " videos processing; wait until one is ready.")
                    .with("maxQueued", config.maxQueued()));
        }
    }

    /** The result's original: about the share of the sources' MP4 it takes, times the configured margin. */
    private long estimate(Video source, double share) {
        long mp4 = source.mp4SizeBytes != null && source.mp4SizeBytes > 0 ? source.mp4SizeBytes : source.sizeBytes;
        return Math.max(1, (long) Math.ceil(mp4 * Math.min(1, Math.max(0, share)) * config.estimateFactor()));
    }

    /** Reserves before anything is announced; a refusal (403 over quota, 503) rolls the new video back. */
    private void reserve(Video result, long bytes) {
        quota.reserve(result.id, result.ownerId, bytes, result.id, result.fileName,
                Instant.now().plus(RESERVATION_TTL));
    }

    private Video source(UUID id, Caller caller) {
        Video video = access.changeable(id, caller);
        if (!video.isReady()) {
            throw ProblemException.conflict("video.not_ready",
                    "Video " + id + " is " + video.status + "; only READY videos can be edited.");
        }
        return video;
    }

    private static String title(String requested, String fallback) {
        String title = requested == null || requested.isBlank() ? fallback : requested.strip();
        if (requested != null && title.length() > MAX_TITLE) {
            throw ProblemException.badRequest("video.invalid_title", "title may have at most " + MAX_TITLE + " characters.");
        }
        return title.length() > MAX_TITLE ? title.substring(0, MAX_TITLE) : title;
    }

    private static String baseName(Video video) {
        String name = video.fileName != null ? video.fileName : "video";
        int dot = name.lastIndexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        return name.length() > 200 ? name.substring(0, 200) : name;
    }
}
