package dev.clipflow.transcode.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.transcode.job.JobTestSupport;
import dev.clipflow.transcode.job.service.JobService;
import dev.clipflow.transcode.media.HlsPlaylists;
import dev.clipflow.transcode.media.LadderCommand;
import dev.clipflow.transcode.media.TestClips;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown and crashes of the packaged service as real processes (JVM + ffmpeg) on real
 * PostgreSQL and Kafka: SIGTERM while a job's ffmpeg runs either lets the job finish (events sent
 * before the process exits) or hands it back to the queue for another process, and SIGKILL leaves
 * a lease that runs out so another process finishes the job. In every case: one SUCCEEDED job,
 * exactly one {@code video.transcoded}, outputs at their deterministic keys and nothing else, no
 * scratch folder left.
 */
class ShutdownIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static WorkerProcesses servers;
    private static Path source;

    @BeforeAll
    static void start() throws Exception {
        servers = new WorkerProcesses();
        // long enough that ffmpeg (x264 "slow", two rungs) runs for several seconds after the job's first progress
        // on two cores (a job of this clip takes ~8 s, the signal comes ~2 s in); each test transcodes it in full
        source = TestClips.mp4(servers.work, "source.mp4", 640, 360, 10, true);
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        servers.stopAll();
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void sigtermLetsTheRunningJobFinishWithinTheGracePeriod() throws Exception {
        WorkerProcesses.Worker worker = servers.start("finisher", Duration.ofSeconds(90), servers.work.resolve("scratch-f"));
        UUID videoId = upload();
        UUID jobId = JobService.uploadJobId(videoId);
        servers.awaitJob(jobId, j -> j.status().equals("RUNNING") && j.progress() > 0, WAIT);

        double seconds = worker.terminate(Duration.ofSeconds(120));

        // the process exited only after the job was done and its events were in Kafka
        WorkerProcesses.JobRow done = servers.job(jobId);
        assertThat(done.status()).isEqualTo("SUCCEEDED");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.leaseOwner()).isNull();
        assertThat(transcoded(jobId, Duration.ofSeconds(2))).hasSize(1);
        assertThat(progressStatuses(jobId)).last().isEqualTo("SUCCEEDED");
        assertOutputs(videoId);
        assertThat(worker.scratchLeft()).isEmpty();
        assertThat(Files.readString(worker.log())).contains("Shutting down: 1 job(s) in flight");
        System.out.printf("SIGTERM with a job in flight: finished, process gone %.1f s after the signal%n", seconds);
    }

    @Test
    void sigtermAfterTheGracePeriodHandsTheJobBackAndAnotherProcessCompletesIt() throws Exception {
        WorkerProcesses.Worker first = servers.start("handing-back", Duration.ZERO, servers.work.resolve("scratch-h1"));
        UUID videoId = upload();
        UUID jobId = JobService.uploadJobId(videoId);
        servers.awaitJob(jobId, j -> j.status().equals("RUNNING") && j.progress() > 0, WAIT);

        double seconds = first.terminate(Duration.ofSeconds(30));

        WorkerProcesses.JobRow handedBack = servers.job(jobId);
        assertThat(handedBack.status()).isEqualTo("QUEUED");
        assertThat(handedBack.attempts()).isZero();
        assertThat(handedBack.progress()).isZero();
        assertThat(handedBack.leaseOwner()).isNull();
        // ffmpeg was killed and waited for before the scratch folder went; what was stored is only what the
        // ladder published while it grew (segments, and playlists naming only them), for the next attempt
        assertThat(first.scratchLeft()).isEmpty();
        assertThat(servers.blobs.list(BlobKeys.videoPrefix(videoId))).extracting(BlobInfo::key)
                .allMatch(key -> key.startsWith(BlobKeys.hlsPrefix(videoId)) && !key.equals(BlobKeys.hlsMaster(videoId)));
        for (BlobInfo blob : servers.blobs.list(BlobKeys.videoPrefix(videoId))) {
            if (blob.key().endsWith(".m3u8")) {
                Path local = servers.work.resolve(UUID.randomUUID() + ".m3u8");
                servers.blobs.download(blob.key(), local);
                String folder = blob.key().substring(0, blob.key().lastIndexOf('/') + 1);
                assertThat(Files.readString(local)).contains("#EXT-X-PLAYLIST-TYPE:EVENT").doesNotContain("#EXT-X-ENDLIST");
                HlsPlaylists.segments(local).forEach(s -> assertThat(servers.blobs.stat(folder + s.uri())).isPresent());
            }
        }
        assertThat(transcoded(jobId, Duration.ofMillis(500))).isEmpty();
        // the QUEUED progress event left the outbox before the process exited
        assertThat(progressStatuses(jobId)).last().isEqualTo("QUEUED");
        System.out.printf("SIGTERM past the grace period: handed back, process gone %.1f s after the signal%n", seconds);

        WorkerProcesses.Worker second = servers.start("taking-over", Duration.ofSeconds(20),
                servers.work.resolve("scratch-h2"));
        WorkerProcesses.JobRow done = servers.awaitJob(jobId, j -> j.status().equals("SUCCEEDED"), WAIT);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(transcoded(jobId, Duration.ofSeconds(2))).hasSize(1);
        assertThat(servers.get(second, "/api/jobs/" + jobId).body()).contains("\"status\":\"SUCCEEDED\"");
        assertOutputs(videoId);
        assertThat(second.scratchLeft()).isEmpty();
    }

    @Test
    void afterSigkillTheLeaseRunsOutAndAnotherProcessFinishesTheJob() throws Exception {
        Path scratch = servers.work.resolve("scratch-k");
        WorkerProcesses.Worker killed = servers.start("killed", Duration.ofSeconds(20), scratch);
        UUID videoId = upload();
        UUID jobId = JobService.uploadJobId(videoId);
        servers.awaitJob(jobId, j -> j.status().equals("RUNNING") && j.progress() > 0, WAIT);

        List<ProcessHandle> orphans = killed.kill();
        // ffmpeg ignores SIGPIPE, so it outlives a JVM killed on a plain host (in a container the
        // runtime kills the whole process group); stop it here so that it burns no CPU meanwhile
        orphans.forEach(ProcessHandle::destroyForcibly);
        System.out.printf("SIGKILL: %d ffmpeg process(es) outlived the JVM%n", orphans.size());

        WorkerProcesses.JobRow abandoned = servers.job(jobId);
        assertThat(abandoned.status()).isEqualTo("RUNNING");
        assertThat(abandoned.leaseOwner()).isNotNull();
        assertThat(killed.scratchLeft()).hasSize(1).allMatch(name -> name.startsWith(jobId.toString()));

        // the replacement process (same scratch folder, as a restarted pod) purges the leftovers
        // and reclaims the job once the lease (3 s) has run out
        WorkerProcesses.Worker replacement = servers.start("replacement", Duration.ofSeconds(20), scratch);
        WorkerProcesses.JobRow done = servers.awaitJob(jobId, j -> j.status().equals("SUCCEEDED"), WAIT);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(transcoded(jobId, Duration.ofSeconds(2))).hasSize(1);
        assertOutputs(videoId);
        assertThat(replacement.scratchLeft()).isEmpty();
    }

    private UUID upload() throws Exception {
        UUID videoId = UUID.randomUUID();
        servers.blobs.putFile(BlobKeys.original(videoId), source, "video/mp4");
        servers.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, UUID.randomUUID(),
                BlobKeys.original(videoId)));
        return videoId;
    }

    private List<JsonNode> transcoded(UUID jobId, Duration settle) {
        return servers.events(Topics.VIDEO_TRANSCODED, data -> data.path("jobId").asText().equals(jobId.toString()),
                settle, Duration.ofSeconds(30));
    }

    private List<String> progressStatuses(UUID jobId) {
        return servers.events(Topics.TRANSCODE_PROGRESS, data -> data.path("jobId").asText().equals(jobId.toString()),
                Duration.ofSeconds(1), Duration.ofSeconds(30)).stream()
                .map(e -> e.path("data").path("status").asText()).toList();
    }

    /**
     * MP4, thumbnail, storyboard, audio-only download, master playlist, and per rendition (the audio-only variant
     * too) its playlist and exactly the segments it names.
     */
    private void assertOutputs(UUID videoId) throws Exception {
        Set<String> expected = new HashSet<>(Set.of(BlobKeys.mp4(videoId), BlobKeys.thumbnail(videoId),
                BlobKeys.hlsMaster(videoId), BlobKeys.storyboardSprite(videoId), BlobKeys.storyboardVtt(videoId),
                BlobKeys.audio(videoId)));
        for (String rendition : List.of("240p", "360p", LadderCommand.AUDIO_RENDITION)) {
            String playlist = BlobKeys.hls(videoId, rendition + "/index.m3u8");
            expected.add(playlist);
            Path local = servers.work.resolve(UUID.randomUUID() + ".m3u8");
            servers.blobs.download(playlist, local);
            List<HlsPlaylists.Segment> segments = HlsPlaylists.segments(local);
            assertThat(segments).isNotEmpty();
            segments.forEach(s -> expected.add(BlobKeys.hls(videoId, rendition + "/" + s.uri())));
        }
        assertThat(servers.blobs.list(BlobKeys.videoPrefix(videoId))).extracting(BlobInfo::key)
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
