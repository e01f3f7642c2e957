package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.VideoRenditionReady;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.job.JobRepository;
import dev.clipflow.transcode.job.JobStatus;
import dev.clipflow.transcode.job.event.JobEvents;
import dev.clipflow.transcode.job.service.JobService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's transactions on job rows: claim, heartbeat, progress, and the outcomes, each
 * publishing its events through the outbox in the same transaction. Every write after the claim
 * checks that this worker still holds the lease, so a worker that lost its job (lease expired and
 * reclaimed, job cancelled) changes nothing.
 */
@ApplicationScoped
public class JobStore {

    /** What became of a finished job. */
    public enum Outcome { SUCCEEDED, DISCARDED, FAILED, REQUEUED, LOST }

    private final JobRepository jobs;
    private final JobEvents events;

    public JobStore(JobRepository jobs, JobEvents events) {
        this.jobs = jobs;
        this.events = events;
    }

    /** Why a job whose worker vanished too often is given up (its lease ran out on every attempt). */
    public static final String ABANDONED_REASON = "The job was interrupted on every attempt (its worker stopped"
            + " responding, e.g. a pod was evicted or killed); it is not tried again.";

    /**
     * Claims the next job. A job whose lease ran out (its worker died) is claimed again as a new attempt;
     * one that has used {@code maxAttempts} that way is FAILED (with {@code video.failed}) instead, so a
     * video that kills its worker every time cannot keep the workers busy for ever.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Job> claim(String worker, Duration lease, int maxAttempts) {
        for (Job abandoned : jobs.expiredOutOfAttempts(maxAttempts)) {
            finish(abandoned, JobStatus.FAILED, ABANDONED_REASON);
            events.progress(abandoned);
            events.failed(abandoned, ABANDONED_REASON);
        }
        Optional<Job> claimed = jobs.claim(worker, lease, maxAttempts);
        claimed.ifPresent(job -> {
            job.progress = 0;
            events.progress(job);
        });
        return claimed;
    }

    /** Renews the lease; false when the job is no longer ours to run (lost, cancelled, deleted). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean heartbeat(UUID id, String worker, Duration lease) {
        return jobs.renew(id, worker, lease) && !jobs.isCancelled(id);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void progress(UUID id, String worker, int percent) {
        progress(id, worker, percent, null);
    }

    /** @param etaSeconds the seconds left at the pace so far, or null */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void progress(UUID id, String worker, int percent, Integer etaSeconds) {
        jobs.held(id, worker).ifPresent(job -> {
            if (percent > job.progress) {
                job.progress = percent;
                job.updatedAt = Instant.now();
                events.progress(job, etaSeconds);
            }
        });
    }

    /**
     * Publishes {@code video.rendition_ready} for a rendition stored before the rest of the ladder; nothing
     * when the job is no longer ours or its video was deleted.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean renditionReady(UUID id, String worker, VideoRenditionReady ready) {
        Optional<Job> held = jobs.held(id, worker);
        if (held.isEmpty() || jobs.isVideoDeleted(held.get().videoId)) {
            return false;
        }
        events.renditionReady(held.get(), ready);
        return true;
    }

    /**
     * Records success and publishes {@code video.transcoded} (with a {@code video.stored} each of its storyboard and
     * its audio-only download, when given) or, for a new thumbnail, {@code video.stored} (when given). DISCARDED when the
     * video was deleted meanwhile: the caller then deletes the outputs.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Outcome succeeded(UUID id, String worker, JobOutput result) {
        Optional<Job> held = jobs.held(id, worker);
        if (held.isEmpty()) {
            Job job = jobs.findById(id);
            return job != null && (job.cancelled || jobs.isVideoDeleted(job.videoId)) ? Outcome.DISCARDED : Outcome.LOST;
        }
        Job job = held.get();
        if (jobs.isVideoDeleted(job.videoId)) {
            job.cancelled = true;
            finish(job, JobStatus.FAILED, JobService.CANCELLED_REASON);
            return Outcome.DISCARDED;
        }
        job.progress = 100;
        finish(job, JobStatus.SUCCEEDED, null);
        events.progress(job);
        if (result != null && result.transcoded() != null) {
            events.transcoded(job, result.transcoded());
        }
        if (result != null && result.thumbnailBytes() != null && job.ownerId != null) {
            events.stored(job, VideoStored.THUMBNAIL, result.thumbnailBytes());
        }
        if (result != null && result.storyboardBytes() != null && job.ownerId != null) {
            events.stored(job, VideoStored.STORYBOARD, result.storyboardBytes());
        }
        if (result != null && result.audioBytes() != null && job.ownerId != null) {
            events.stored(job, VideoStored.AUDIO, result.audioBytes());
        }
        return Outcome.SUCCEEDED;
    }

    /**
     * Records a failure: FAILED (with {@code video.failed}) when permanent or out of attempts,
     * otherwise back to the queue after a backoff.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Outcome failed(UUID id, String worker, String reason, boolean permanent, int maxAttempts,
            Duration backoff) {
        Optional<Job> held = jobs.held(id, worker);
        if (held.isEmpty()) {
            Job job = jobs.findById(id);
            return job != null && job.cancelled ? Outcome.DISCARDED : Outcome.LOST;
        }
        Job job = held.get();
        if (permanent || job.attempts >= maxAttempts) {
            finish(job, JobStatus.FAILED, reason);
            events.progress(job);
            events.failed(job, reason);
            return Outcome.FAILED;
        }
        Duration delay = backoff.multipliedBy(1L << Math.min(job.attempts - 1, 10));
        job.notBefore = Instant.now().plus(delay);
        job.progress = 0;
        finish(job, JobStatus.QUEUED, reason);
        events.progress(job);
        return Outcome.REQUEUED;
    }

    /**
     * The first of the job's source videos that is not its owner's (see {@link JobRepository#transcodedFor}), or
     * that was deleted: a trim or merge may only read its owner's videos, whoever published the request.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<UUID> foreignSource(Job job) {
        return job.sources().stream()
                .filter(source -> jobs.isVideoDeleted(source) || !jobs.transcodedFor(source, job.ownerId))
                .findFirst();
    }

    /** Gives a job back to the queue at once without counting the attempt (shutdown); false when not ours. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean handBack(UUID id, String worker) {
        return jobs.held(id, worker).map(job -> {
            job.attempts = Math.max(0, job.attempts - 1);
            job.notBefore = Instant.now();
            job.progress = 0;
            finish(job, JobStatus.QUEUED, job.error);
            events.progress(job);
            return true;
        }).orElse(false);
    }

    private static void finish(Job job, JobStatus status, String error) {
        job.status = status;
        job.error = error;
        job.leaseOwner = null;
        job.leaseUntil = null;
        job.updatedAt = Instant.now();
    }
}
