package dev.clipflow.transcode.job.service;

import dev.clipflow.transcode.job.JobRepository;
import dev.clipflow.transcode.job.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backlog the workers scale on, as gauges on {@code /q/metrics}: {@code clipflow_transcode_jobs_queued}
 * (jobs waiting for a worker, retries in backoff included), {@code clipflow_transcode_jobs_running} and
 * {@code clipflow_transcode_jobs_oldest_queued_age_seconds} (how long the longest-waiting due job has
 * waited: the queue's age, what the alert watches).
 * Counted in the database, the same on every replica, every {@code clipflow.transcode.backlog-interval},
 * so a scrape never waits for a query. Kafka lag cannot show the backlog: the consumers commit as soon as
 * a job row is QUEUED.
 */
@ApplicationScoped
@Startup
public class BacklogMetrics {

    private final JobRepository jobs;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong oldestQueuedMillis = new AtomicLong();

    public BacklogMetrics(JobRepository jobs, MeterRegistry registry) {
        this.jobs = jobs;
        Gauge.builder("clipflow.transcode.jobs.queued", queued, AtomicLong::get)
                .description("Transcode jobs waiting for a worker (QUEUED, retries in backoff included)")
                .register(registry);
        Gauge.builder("clipflow.transcode.jobs.running", running, AtomicLong::get)
                .description("Transcode jobs a worker holds (RUNNING)")
                .register(registry);
        Gauge.builder("clipflow.transcode.jobs.oldest.queued.age", oldestQueuedMillis, millis -> millis.get() / 1000.0)
                .description("How long the longest-waiting due QUEUED job has waited").baseUnit("seconds")
                .register(registry);
    }

    @Scheduled(every = "${clipflow.transcode.backlog-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try {
            Map<JobStatus, Long> counts = QuarkusTransaction.requiringNew().call(jobs::backlog);
            queued.set(counts.get(JobStatus.QUEUED));
            running.set(counts.get(JobStatus.RUNNING));
            oldestQueuedMillis.set(Math.round(1000 * QuarkusTransaction.requiringNew().call(jobs::oldestQueuedSeconds)));
        } catch (RuntimeException e) {
            Log.warnf("Counting the backlog failed (the gauges keep their last values): %s", e.getMessage());
        }
    }
}
