package dev.clipflow.transcode.worker;

import dev.clipflow.outbox.OutboxRelay;
import dev.clipflow.transcode.config.TranscodeConfig;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.job.service.JobService;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.FfmpegBinaries;
import dev.clipflow.transcode.media.MediaException;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.logging.LogFields;
import dev.clipflow.messaging.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.MDC;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs from the database queue: {@code concurrency} threads claim due jobs (FOR UPDATE SKIP
 * LOCKED) under a lease that a heartbeat renews while ffmpeg runs. Replicas scale out on the same
 * table. A job whose worker dies is reclaimed when its lease runs out; on SIGTERM a job in flight
 * may finish within the grace period, otherwise its ffmpeg is killed and the job handed back to
 * the queue at once (the attempt is not counted); either way the job's events are flushed from the
 * outbox to Kafka before the process exits.
 * <p>
 * Each attempt runs in a span ({@code transcode job}) of the trace that queued the job (the upload's,
 * through {@code video.uploaded}), with each ffmpeg pass a child span; its duration goes to
 * {@code clipflow.transcode.job.duration{type,outcome}} and a second or later attempt counts in
 * {@code clipflow.transcode.job.retries{type}}.
 */
@ApplicationScoped
public class JobWorker {

    private record InFlight(Job job, Abort abort, java.util.concurrent.atomic.AtomicLong abortedAt) {
        InFlight(Job job, Abort abort) {
            this(job, abort, new java.util.concurrent.atomic.AtomicLong());
        }
    }

    private final TranscodeConfig config;
    private final JobStore store;
    private final JobRunner runner;
    private final OutputUploader uploader;
    private final FfmpegBinaries binaries;
    private final OutboxRelay relay;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final String workerId;
    private final Map<UUID, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Object wakeup = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean shuttingDown;
    private ScheduledExecutorService heartbeat;

    @jakarta.inject.Inject
    public JobWorker(TranscodeConfig config, JobStore store, JobRunner runner, OutputUploader uploader,
            FfmpegBinaries binaries, OutboxRelay relay, MeterRegistry registry, Instance<OpenTelemetry> telemetry) {
        this(config, store, runner, uploader, binaries, relay, registry,
                (telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop()).getTracer("dev.clipflow.transcode"));
    }

    /** Without meters and traces (unit tests). */
    JobWorker(TranscodeConfig config, JobStore store, JobRunner runner, OutputUploader uploader,
            FfmpegBinaries binaries, OutboxRelay relay) {
        this(config, store, runner, uploader, binaries, relay, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                OpenTelemetry.noop().getTracer("test"));
    }

    private JobWorker(TranscodeConfig config, JobStore store, JobRunner runner, OutputUploader uploader,
            FfmpegBinaries binaries, OutboxRelay relay, MeterRegistry registry, Tracer tracer) {
        this.config = config;
        this.registry = registry;
        this.tracer = tracer;
        // the series exist from the start (rates and alerts work before the first job)
        for (dev.clipflow.contracts.events.TranscodeRequest.Type type : dev.clipflow.contracts.events.TranscodeRequest.Type.values()) {
            registry.counter("clipflow.transcode.job.retries", "type", type.name());
            for (String outcome : List.of("succeeded", "failed", "retried")) {
                jobTimer(type.name(), outcome);
            }
        }
        this.store = store;
        this.runner = runner;
        this.uploader = uploader;
        this.binaries = binaries;
        this.relay = relay;
        this.workerId = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start(@Observes StartupEvent event) {
        if (!config.workerEnabled()) {
            Log.info("Transcode worker disabled on this replica");
            return;
        }
        // scratch folders left by a process of this replica that was killed (kill -9, OOM) mid-job
        int purged = Scratch.purgeLeftovers(Path.of(config.scratchDir()).toAbsolutePath());
        if (purged > 0) {
            Log.infof("Removed %d scratch folder(s) left by an earlier process", purged);
        }
        running = true;
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "transcode-heartbeat"));
        long every = config.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < Math.max(1, config.concurrency()); i++) {
            Thread thread = new Thread(this::loop, "transcode-worker-" + i);
            thread.start();
            threads.add(thread);
        }
        Log.infof("Transcode worker %s started with %d thread(s)", workerId, threads.size());
    }

    /** Wakes an idle worker after a transaction queued a job. */
    void queued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobService.Queued event) {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Why this process's workers are wedged (empty when they are not): a worker thread that died while
     * the worker runs, or a job whose lease was lost (another worker may have it) and that is still in
     * flight a whole lease after it was told to stop: its ffmpeg did not die, so the thread is stuck.
     * The liveness check restarts such a pod; a slow job that keeps its lease is never wedged.
     */
    public List<String> wedged() {
        List<String> reasons = new ArrayList<>();
        if (running) {
            for (Thread thread : threads) {
                if (!thread.isAlive()) {
                    reasons.add(thread.getName() + " has died");
                }
            }
        }
        long now = System.nanoTime();
        for (InFlight flight : inFlight.values()) {
            long aborted = flight.abortedAt().get();
            if (aborted != 0 && now - aborted > config.lease().toNanos()) {
                reasons.add("job " + flight.job().id + " still runs " + Duration.ofNanos(now - aborted).toSeconds()
                        + " s after losing its lease");
            }
        }
        return reasons;
    }

    private void loop() {
        while (running) {
            Optional<Job> claimed;
            try {
                claimed = binaries.operational() ? store.claim(workerId, config.lease(), config.maxAttempts()) : Optional.empty();
            } catch (RuntimeException e) {
                Log.warnf("Claiming a job failed: %s", e.getMessage());
                claimed = Optional.empty();
            }
            if (claimed.isEmpty()) {
                synchronized (wakeup) {
                    try {
                        wakeup.wait(config.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                continue;
            }
            execute(claimed.get());
        }
    }

    private void execute(Job job) {
        Span span = tracer.spanBuilder("transcode job")
                .setParent(TraceContext.parent(job.traceparent))
                .setAttribute(AttributeKey.stringKey("clipflow.job.id"), String.valueOf(job.id))
                .setAttribute(AttributeKey.stringKey("clipflow.job.type"), String.valueOf(job.type))
                .setAttribute(AttributeKey.stringKey("clipflow.video.id"), String.valueOf(job.videoId))
                .setAttribute(AttributeKey.longKey("clipflow.job.attempt"), (long) job.attempts)
                .startSpan();
        long started = System.nanoTime();
        String outcome = "failed";
        if (job.attempts > 1) {
            registry.counter("clipflow.transcode.job.retries", "type", String.valueOf(job.type)).increment();
        }
        try (Scope scope = span.makeCurrent()) {
            MDC.put(LogFields.VIDEO_ID, String.valueOf(job.videoId));
            outcome = executeInSpan(job, span);
        } finally {
            MDC.remove(LogFields.VIDEO_ID);
            span.setAttribute(AttributeKey.stringKey("clipflow.job.outcome"), outcome);
            span.end();
            jobTimer(String.valueOf(job.type), outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Timer jobTimer(String type, String outcome) {
        return Timer.builder("clipflow.transcode.job.duration")
                .description("Wall-clock time of one attempt of a job, by job type and outcome")
                .tag("type", type).tag("outcome", outcome).register(registry);
    }

    /** Runs one attempt; returns its outcome for the meters: succeeded, discarded, failed, retried, aborted, handed_back. */
    private String executeInSpan(Job job, Span span) {
        Abort abort = new Abort();
        inFlight.put(job.id, new InFlight(job, abort));
        long started = System.nanoTime();
        String attempt = "failed";
        Log.infof("Job %s (%s of video %s) started, attempt %d", job.id, job.type, job.videoId, job.attempts);
        try {
            ProgressReporter progress = new ProgressReporter(
                    (p, eta) -> safely(() -> store.progress(job.id, workerId, p, eta)),
                    config.progressInterval(), config.progressStep());
            JobOutput result = runner.run(job, progress, abort,
                    ready -> safely(() -> store.renditionReady(job.id, workerId, ready)));
            JobStore.Outcome outcome = store.succeeded(job.id, workerId, result);
            if (outcome == JobStore.Outcome.DISCARDED) {
                Log.infof("Job %s finished for a deleted video; removing its outputs", job.id);
                uploader.deleteOutputs(job.videoId);
            }
            Log.infof("Job %s %s in %.1f s", job.id, outcome, (System.nanoTime() - started) / 1e9);
            attempt = outcome == JobStore.Outcome.DISCARDED ? "discarded" : "succeeded";
        } catch (Abort.AbortedException e) {
            if (shuttingDown) {
                safely(() -> store.handBack(job.id, workerId));
                Log.infof("Job %s handed back to the queue (shutdown)", job.id);
                attempt = "handed_back";
            } else {
                Log.infof("Job %s stopped (cancelled or lease lost)", job.id);
                discardIfDeleted(job);
                attempt = "aborted";
            }
        } catch (MediaException e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            attempt = fail(job, e.getMessage(), e.permanent());
        } catch (RuntimeException e) {
            Log.warnf(e, "Job %s failed", job.id);
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            attempt = fail(job, "Processing failed for a temporary reason: " + e.getClass().getSimpleName(), false);
        } finally {
            inFlight.remove(job.id);
        }
        return attempt;
    }

    /** Records the failure; "retried" when the job went back to the queue for another attempt, else "failed". */
    private String fail(Job job, String reason, boolean permanent) {
        String[] result = {"failed"};
        safely(() -> {
            JobStore.Outcome outcome = store.failed(job.id, workerId, reason, permanent, config.maxAttempts(),
                    config.retryBackoff());
            Log.infof("Job %s: %s (%s)", job.id, outcome, reason);
            if (outcome == JobStore.Outcome.DISCARDED) {
                uploader.deleteOutputs(job.videoId);
            } else if (outcome == JobStore.Outcome.FAILED && job.type != TranscodeRequest.Type.THUMBNAIL) {
                // what the ladder published while it grew: the video is FAILED, nothing plays or counts it
                uploader.deleteHls(job.videoId);
            }
            result[0] = outcome == JobStore.Outcome.REQUEUED ? "retried" : "failed";
        });
        return result[0];
    }

    private void discardIfDeleted(Job job) {
        safely(() -> {
            if (store.succeeded(job.id, workerId, null) == JobStore.Outcome.DISCARDED) {
                uploader.deleteOutputs(job.videoId);
            }
        });
    }

    private void beat() {
        for (InFlight flight : inFlight.values()) {
            try {
                if (!store.heartbeat(flight.job().id, workerId, config.lease())) {
                    Log.infof("Job %s is no longer ours (cancelled or reclaimed); stopping it", flight.job().id);
                    flight.abortedAt().compareAndSet(0, System.nanoTime());
                    flight.abort().abort();
                }
            } catch (RuntimeException e) {
                Log.warnf("Heartbeat of job %s failed: %s", flight.job().id, e.getMessage());
            }
        }
    }

    /**
     * SIGTERM: claim nothing more, let a running job finish within {@code shutdown-grace}, else kill
     * its ffmpeg and hand it back; then send the outbox (SUCCEEDED/QUEUED events, {@code video.transcoded})
     * while the Kafka producer is still open. Observed before the default priority so that it runs
     * before {@link OutboxRelay} closes its producer.
     */
    void stop(@Observes @Priority(1000) ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        Log.infof("Shutting down: %d job(s) in flight, up to %s to finish", inFlight.size(), config.shutdownGrace());
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Thread thread : threads) {
            join(thread, deadline);
        }
        if (!inFlight.isEmpty()) {
            shuttingDown = true;
            Log.infof("Shutting down: handing %d job(s) back to the queue", inFlight.size());
            inFlight.values().forEach(flight -> flight.abort().abort());
            long handBackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread thread : threads) {
                join(thread, handBackDeadline);
            }
        }
        heartbeat.shutdownNow();
        if (relay != null) {
            safely(() -> Log.infof("Shutting down: %d outbox event(s) sent", relay.relayAll()));
        }
    }

    private static void join(Thread thread, long deadlineNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (millis <= 0) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            Log.warnf("Recording job state failed: %s", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }
}
