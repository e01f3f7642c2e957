package dev.clipflow.catalog.edit;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLifecycle;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Trim and merge: checks the sources (the caller may change each, each is READY, the time range
 * lies within the real duration), creates the resulting video (PROCESSING, owned by the caller)
 * and asks the transcoder for it through the outbox, all in one transaction.
 */
@ApplicationScoped
public class EditService {

    public static final int MAX_MERGE = 20;
    private static final int MAX_TITLE = 200;

    public record Accepted(UUID jobId, UUID videoId) {
    }

    private final VideoAccess access;
    private final VideoLifecycle lifecycle;
    private final Outbox outbox;

    public EditService(VideoAccess access, VideoLifecycle lifecycle, Outbox outbox) {
        this.access = access;
        this.lifecycle = lifecycle;
        this.outbox = outbox;
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
        Video result = lifecycle.createProcessing(caller.id(), name, source.description, source.category,
                baseName(source) + "-trim.mp4");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("startSeconds", start);
        params.put("endSeconds", end);
        params.put("title", name);
        return request(TranscodeRequest.Type.TRIM, result, List.of(source.id), caller, params);
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
        for (UUID id : sourceIds) {
            if (id == null) {
                throw ProblemException.badRequest("request.invalid_value", "videoIds must not contain null.");
            }
            sources.add(source(id, caller));
        }
        Video first = sources.get(0);
        String name = title(title, "Merge of " + sources.size() + " videos");
        Video result = lifecycle.createProcessing(caller.id(), name, null, first.category,
                baseName(first) + "-merge.mp4");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("title", name);
        return request(TranscodeRequest.Type.MERGE, result, sourceIds, caller, params);
    }

    private Accepted request(TranscodeRequest.Type type, Video result, List<UUID> sources, Caller caller,
            Map<String, Object> params) {
        UUID jobId = UUID.randomUUID();
        TranscodeRequest request = new TranscodeRequest(jobId, type, result.id, List.copyOf(sources), caller.id(), params);
        outbox.publish(Topics.TRANSCODE_REQUESTS, result.id, request);
        return new Accepted(jobId, result.id);
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
