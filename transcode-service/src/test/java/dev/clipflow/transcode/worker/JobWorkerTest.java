package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.outbox.OutboxRelay;
import dev.clipflow.transcode.config.TranscodeConfig;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.job.JobStatus;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.FfmpegBinaries;
import dev.clipflow.transcode.media.Progress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The worker around a running job: SIGTERM (finish within the grace period, or hand back: never
 * lost) and a cancellation seen by the heartbeat (ffmpeg stopped, outputs of the deleted video removed).
 */
class JobWorkerTest {

    private final JobStore store = mock(JobStore.class);
    private final JobRunner runner = mock(JobRunner.class);
    private final OutputUploader uploader = mock(OutputUploader.class);
    private final FfmpegBinaries binaries = mock(FfmpegBinaries.class);
    private final OutboxRelay relay = mock(OutboxRelay.class);
    private final Job job = job();

    @Test
    void aJobStillRunningAfterTheGracePeriodIsStoppedAndHandedBack() throws Exception {
        JobWorker worker = new JobWorker(config(Duration.ofMillis(300)), store, runner, uploader, binaries, relay);
        CountDownLatch started = new CountDownLatch(1);
        when(store.claim(anyString(), any(), anyInt())).thenReturn(Optional.of(job)).thenReturn(Optional.empty());
        when(runner.run(eq(job), any(Progress.class), any(Abort.class), any())).thenAnswer(call -> {
            Abort abort = call.getArgument(2);
            started.countDown();
            while (!abort.aborted()) {
                Thread.sleep(10);
            }
            throw new Abort.AbortedException();
        });

        worker.start(null);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        worker.stop(null);

        verify(store, timeout(5000)).handBack(job.id, worker.workerId());
        verify(relay).relayAll();
        verify(store, never()).failed(any(), anyString(), anyString(), anyBoolean(), anyInt(), any());
        verify(store, never()).succeeded(any(), anyString(), any());
    }

    @Test
    void aJobThatFinishesWithinTheGracePeriodCompletes() throws Exception {
        JobWorker worker = new JobWorker(config(Duration.ofSeconds(10)), store, runner, uploader, binaries, relay);
        CountDownLatch started = new CountDownLatch(1);
        when(store.claim(anyString(), any(), anyInt())).thenReturn(Optional.of(job)).thenReturn(Optional.empty());
        when(store.succeeded(eq(job.id), anyString(), any())).thenReturn(JobStore.Outcome.SUCCEEDED);
        when(runner.run(eq(job), any(Progress.class), any(Abort.class), any())).thenAnswer(call -> {
            started.countDown();
            Thread.sleep(500);
            return null;
        });

        worker.start(null);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        worker.stop(null);

        verify(store).succeeded(eq(job.id), eq(worker.workerId()), any());
        verify(store, never()).handBack(any(), anyString());
        // the job's events leave the outbox before the Kafka producer closes
        org.mockito.InOrder order = org.mockito.Mockito.inOrder(store, relay);
        order.verify(store).succeeded(eq(job.id), anyString(), any());
        order.verify(relay).relayAll();
    }

    @Test
    void aJobCancelledWhileRunningIsStoppedAndItsOutputsDeleted() throws Exception {
        TranscodeConfig config = config(Duration.ofSeconds(1));
        when(config.heartbeat()).thenReturn(Duration.ofMillis(50));
        JobWorker worker = new JobWorker(config, store, runner, uploader, binaries, relay);
        when(store.claim(anyString(), any(), anyInt())).thenReturn(Optional.of(job)).thenReturn(Optional.empty());
        when(store.heartbeat(eq(job.id), anyString(), any())).thenReturn(false);
        when(store.succeeded(eq(job.id), anyString(), any())).thenReturn(JobStore.Outcome.DISCARDED);
        when(runner.run(eq(job), any(Progress.class), any(Abort.class), any())).thenAnswer(call -> {
            Abort abort = call.getArgument(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!abort.aborted() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            throw new Abort.AbortedException();
        });
        try {
            worker.start(null);
            verify(uploader, timeout(10_000)).deleteOutputs(job.videoId);
            verify(store, never()).handBack(any(), anyString());
        } finally {
            worker.stop(null);
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void ffmpegWorks() {
        when(binaries.operational()).thenReturn(true);
    }

    @Test
    void noJobIsClaimedWhileFfmpegCannotRun() throws Exception {
        when(binaries.operational()).thenReturn(false);
        JobWorker worker = new JobWorker(config(Duration.ofSeconds(1)), store, runner, uploader, binaries, relay);
        worker.start(null);
        try {
            verify(binaries, timeout(5000).atLeast(3)).operational();
            verify(store, never()).claim(anyString(), any(), anyInt());
        } finally {
            worker.stop(null);
        }
    }

    private static TranscodeConfig config(Duration grace) {
        TranscodeConfig config = mock(TranscodeConfig.class);
        when(config.workerEnabled()).thenReturn(true);
        when(config.concurrency()).thenReturn(1);
        when(config.pollInterval()).thenReturn(Duration.ofMillis(50));
        when(config.lease()).thenReturn(Duration.ofMinutes(1));
        when(config.heartbeat()).thenReturn(Duration.ofHours(1));
        when(config.shutdownGrace()).thenReturn(grace);
        when(config.progressInterval()).thenReturn(Duration.ofSeconds(2));
        when(config.progressStep()).thenReturn(5);
        when(config.maxAttempts()).thenReturn(3);
        when(config.retryBackoff()).thenReturn(Duration.ofSeconds(1));
        when(config.scratchDir()).thenReturn(System.getProperty("java.io.tmpdir") + "/clipflow-worker-test");
        return config;
    }

    private static Job job() {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.type = TranscodeRequest.Type.TRANSCODE;
        job.status = JobStatus.RUNNING;
        job.videoId = UUID.randomUUID();
        job.ownerId = UUID.randomUUID();
        job.attempts = 1;
        return job;
    }
}
