package dev.clipflow.transcode.job.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.job.JobRepository;
import dev.clipflow.transcode.job.JobStatus;
import dev.clipflow.transcode.job.event.JobEvents;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creating, finding, retrying and cancelling jobs. Running them is the worker's part. */
@ApplicationScoped
public class JobService {

    public static final String CANCELLED_REASON = "Cancelled: the video was deleted.";

    /** Param of a TRANSCODE job: the storage key of its source (default {@code BlobKeys.original(videoId)}). */
    public static final String SOURCE_KEY = "sourceKey";

    /** Fired after a transaction queued a job, so an idle worker looks at once. */
    public record Queued() {
    }

    /** Fired when a video is known to be deleted: whatever any job of it stored is to go once committed. */
    public record VideoGone(UUID videoId) {
    }

    private final JobRepository jobs;
    private final JobEvents events;
    private final ObjectMapper json;
    private final Event<Queued> queued;
    private final Event<VideoGone> gone;

    public JobService(JobRepository jobs, JobEvents events, ObjectMapper json, Event<Queued> queued,
            Event<VideoGone> gone) {
        this.jobs = jobs;
        this.events = events;
        this.json = json;
        this.queued = queued;
        this.gone = gone;
    }

    /** The job id of the transcode of an uploaded video: derived from the video, so re-deliveries find it. */
    public static UUID uploadJobId(UUID videoId) {
        return UUID.nameUUIDFromBytes(("video.uploaded:" + videoId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues the transcode of an uploaded video (once per video); none for a duplicate ({@code duplicateOf}: the
     * owner stored the same file before, catalog-service gives the video that one's media).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Job> queueUpload(VideoUploaded uploaded) {
        if (jobs.isVideoDeleted(uploaded.videoId())) {
            Log.infof("Video %s was deleted before its upload event arrived; nothing to do", uploaded.videoId());
            return Optional.empty();
        }
        if (uploaded.duplicateOf() != null) {
            Log.infof("Video %s repeats the content of video %s: no transcode", uploaded.videoId(),
                    uploaded.duplicateOf());
            return Optional.empty();
        }
        return queue(uploadJobId(uploaded.videoId()), TranscodeRequest.Type.TRANSCODE, uploaded.videoId(),
                List.of(), uploaded.ownerId(), Map.of(SOURCE_KEY, uploaded.blobKey()));
    }

    /** Queues a request from {@code transcode.requests}; a known job id is a no-op. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Job> queueRequest(TranscodeRequest request) {
        if (jobs.isVideoDeleted(request.videoId())) {
            Log.infof("Video %s is deleted; ignoring %s request", request.videoId(), request.type());
            return Optional.empty();
        }
        UUID id = request.jobId() == null ? UUID.randomUUID() : request.jobId();
        return queue(id, request.type(), request.videoId(), request.sourceVideoIds(), request.ownerId(),
                request.params());
    }

    private Optional<Job> queue(UUID id, TranscodeRequest.Type type, UUID videoId, List<UUID> sources, UUID ownerId,
            Map<String, Object> params) {
        if (jobs.findById(id) != null) {
            Log.debugf("Job %s exists already; duplicate request ignored", id);
            return Optional.empty();
        }
        Job job = new Job();
        job.id = id;
        job.type = type;
        job.status = JobStatus.QUEUED;
        job.videoId = videoId;
        job.sources(sources);
        job.ownerId = ownerId;
        job.params = params == null || params.isEmpty() ? null : write(params);
        Instant now = Instant.now();
        job.createdAt = now;
        job.updatedAt = now;
        job.notBefore = now;
        job.traceparent = dev.clipflow.messaging.TraceContext.current();
        jobs.persist(job);
        events.progress(job);
        queued.fire(new Queued());
        return Optional.of(job);
    }

    /**
     * {@code video.deleted}: the video's unfinished jobs are cancelled; late requests for it are ignored;
     * its outputs are deleted after commit. catalog-service deleted the blobs when the video was deleted,
     * but a job that finished before this event arrived (a broker outage makes that window long) stored
     * its outputs after that. Not when {@code unshared} is false: a live duplicate still plays the video's content
     * ({@code video.deleted} names it in {@code chargeTo}), and catalog-service deletes the blobs with the last one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelVideo(UUID videoId, boolean unshared) {
        jobs.markVideoDeleted(videoId);
        if (unshared) {
            gone.fire(new VideoGone(videoId));
        }
        return cancel(jobs.unfinishedOfVideo(videoId));
    }

    /** {@code user.deleted}: every unfinished job of the user is cancelled and their videos count as deleted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelOwner(UUID ownerId) {
        List<Job> unfinished = jobs.unfinishedOfOwner(ownerId);
        unfinished.stream().map(j -> j.videoId).distinct().forEach(jobs::markVideoDeleted);
        return cancel(unfinished);
    }

    private int cancel(List<Job> unfinished) {
        for (Job job : unfinished) {
            job.cancelled = true;
            job.status = JobStatus.FAILED;
            job.error = CANCELLED_REASON;
            job.updatedAt = Instant.now();
            Log.infof("Job %s of video %s cancelled", job.id, job.videoId);
        }
        return unfinished.size();
    }

    @Transactional
    public JobView get(UUID id, Caller caller) {
        return JobView.of(visible(id, caller));
    }

    @Transactional
    public Page<JobView> list(Caller caller, UUID videoId, JobStatus status, Page.PageRequest page) {
        JobRepository.Found found = jobs.search(caller.admin() ? null : caller.userId(), videoId, status,
                page.page(), page.size());
        return new Page<>(found.jobs().stream().map(JobView::of).toList(), page.page(), page.size(), found.total());
    }

    /** Admin: a FAILED job goes back to the queue with fresh attempts. */
    @Transactional
    public JobView retry(UUID id) {
        Job job = jobs.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            throw ProblemException.notFound("Job " + id);
        }
        if (job.status != JobStatus.FAILED) {
            throw ProblemException.conflict("job.not_failed", "Only a FAILED job can be retried; this one is "
                    + job.status + ".");
        }
        if (job.cancelled || jobs.isVideoDeleted(job.videoId)) {
            throw ProblemException.conflict("job.video_deleted", "The job's video was deleted; it cannot be retried.");
        }
        job.status = JobStatus.QUEUED;
        job.progress = 0;
        job.attempts = 0;
        job.error = null;
        job.leaseOwner = null;
        job.leaseUntil = null;
        job.notBefore = Instant.now();
        job.updatedAt = Instant.now();
        events.progress(job);
        queued.fire(new Queued());
        return JobView.of(job);
    }

    private Job visible(UUID id, Caller caller) {
        Job job = jobs.findById(id);
        if (job == null || (!caller.admin() && !job.ownerId.equals(caller.userId()))) {
            throw ProblemException.notFound("Job " + id);
        }
        return job;
    }

    private String write(Map<String, Object> params) {
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Params cannot be written as JSON", e);
        }
    }
}
