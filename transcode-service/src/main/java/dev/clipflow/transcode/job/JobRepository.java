package dev.clipflow.transcode.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Job rows: lookups for the API, and the claim/lease protocol of the workers. */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<Job, UUID> {

    /** A filtered page of jobs, newest first, with the total count. */
    public record Found(List<Job> jobs, long total) {
    }

    public Found search(UUID ownerId, UUID videoId, JobStatus status, int pageIndex, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (ownerId != null) {
            where.add("ownerId = :owner");
            params.and("owner", ownerId);
        }
        if (videoId != null) {
            where.add("videoId = :video");
            params.and("video", videoId);
        }
        if (status != null) {
            where.add("status = :status");
            params.and("status", status);
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        var found = find(query, Sort.descending("createdAt").and("id"), params);
        return new Found(found.page(Page.of(pageIndex, size)).list(), found.count());
    }

    /**
     * Claims the oldest job that is due (QUEUED and past its backoff) or whose lease ran out,
     * marking it RUNNING under {@code worker}'s lease. Concurrent workers never get the same row.
     */
    public Optional<Job> claim(String worker, Duration lease, int maxAttempts) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                update transcode_job set status = 'RUNNING', lease_owner = :worker,
                    lease_until = now() + make_interval(secs => :lease), attempts = attempts + 1,
                    updated_at = now()
                where id = (select id from transcode_job
                            where not cancelled and ((status = 'QUEUED' and not_before <= now())
                                or (status = 'RUNNING' and lease_until < now() and attempts < :max))
                            order by created_at limit 1 for update skip locked)
                returning id""")
                .setParameter("worker", worker)
                .setParameter("lease", lease.toMillis() / 1000.0)
                .setParameter("max", maxAttempts)
                .getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        Job job = findById(ids.get(0));
        getEntityManager().refresh(job);
        return Optional.of(job);
    }

    /**
     * Jobs whose lease ran out after their last allowed attempt (the worker died each time), locked for
     * the transaction; rows another worker is looking at are skipped.
     */
    public List<Job> expiredOutOfAttempts(int maxAttempts) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                select id from transcode_job
                where not cancelled and status = 'RUNNING' and lease_until < now() and attempts >= :max
                order by created_at limit 20 for update skip locked""")
                .setParameter("max", maxAttempts)
                .getResultList();
        List<Job> found = new ArrayList<>();
        for (UUID id : ids) {
            Job job = findById(id);
            getEntityManager().refresh(job);
            found.add(job);
        }
        return found;
    }

    /** Jobs waiting for a worker (QUEUED, including those waiting out a retry backoff) and running ones. */
    public Map<JobStatus, Long> backlog() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                select status, count(*) from transcode_job
                where not cancelled and status in ('QUEUED', 'RUNNING') group by status""")
                .getResultList();
        Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
        counts.put(JobStatus.QUEUED, 0L);
        counts.put(JobStatus.RUNNING, 0L);
        for (Object[] row : rows) {
            counts.put(JobStatus.valueOf((String) row[0]), ((Number) row[1]).longValue());
        }
        return counts;
    }

    /** Seconds the longest-waiting due QUEUED job has been due (0 when none is waiting). */
    public double oldestQueuedSeconds() {
        Object seconds = getEntityManager().createNativeQuery("""
                select coalesce(extract(epoch from (now() - min(not_before))), 0) from transcode_job
                where not cancelled and status = 'QUEUED' and not_before <= now()""").getSingleResult();
        return Math.max(0, ((Number) seconds).doubleValue());
    }

    /** Extends the lease of a job this worker holds; false when it lost it (expired and reclaimed). */
    public boolean renew(UUID id, String worker, Duration lease) {
        return getEntityManager().createNativeQuery("""
                update transcode_job set lease_until = now() + make_interval(secs => :lease)
                where id = :id and lease_owner = :worker and status = 'RUNNING'""")
                .setParameter("lease", lease.toMillis() / 1000.0)
                .setParameter("id", id)
                .setParameter("worker", worker)
                .executeUpdate() == 1;
    }

    /** The job if this worker still holds it, locked for the rest of the transaction. */
    public Optional<Job> held(UUID id, String worker) {
        Job job = getEntityManager().find(Job.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.status != JobStatus.RUNNING || !worker.equals(job.leaseOwner)) {
            return Optional.empty();
        }
        return Optional.of(job);
    }

    public List<Job> unfinishedOfVideo(UUID videoId) {
        return list("videoId = ?1 and status in ?2", videoId, List.of(JobStatus.QUEUED, JobStatus.RUNNING));
    }

    public List<Job> unfinishedOfOwner(UUID ownerId) {
        return list("ownerId = ?1 and status in ?2", ownerId, List.of(JobStatus.QUEUED, JobStatus.RUNNING));
    }

    public boolean isCancelled(UUID id) {
        Boolean cancelled = (Boolean) getEntityManager()
                .createNativeQuery("select cancelled from transcode_job where id = :id")
                .setParameter("id", id).getResultStream().findFirst().orElse(Boolean.TRUE);
        return cancelled;
    }

    public void markVideoDeleted(UUID videoId) {
        getEntityManager().createNativeQuery(
                "insert into deleted_video (video_id) values (:id) on conflict (video_id) do nothing")
                .setParameter("id", videoId).executeUpdate();
    }

    /**
     * Whether a video belongs to {@code ownerId} as far as this service knows: a job transcoded it for that owner
     * (its upload, or the trim or merge that made it) and no job of it names another owner. Every video that has
     * an MP4 got it from a job here, so a video of another user, or one never transcoded, is not the owner's.
     */
    public boolean transcodedFor(UUID videoId, UUID ownerId) {
        Object[] counts = (Object[]) getEntityManager().createNativeQuery("""
                select count(*) filter (where owner_id = :owner and status = 'SUCCEEDED'),
                       count(*) filter (where owner_id <> :owner)
                from transcode_job where video_id = :video""")
                .setParameter("owner", ownerId).setParameter("video", videoId).getSingleResult();
        return ((Number) counts[0]).longValue() > 0 && ((Number) counts[1]).longValue() == 0;
    }

    public boolean isVideoDeleted(UUID videoId) {
        return !getEntityManager().createNativeQuery("select 1 from deleted_video where video_id = :id")
                .setParameter("id", videoId).getResultList().isEmpty();
    }

    public static Instant now() {
        return Instant.now();
    }
}
