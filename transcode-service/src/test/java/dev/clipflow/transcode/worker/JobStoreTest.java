package dev.clipflow.transcode.worker;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.testinfra.kafka.KafkaTestClient;
import dev.clipflow.transcode.job.Job;
import dev.clipflow.transcode.job.JobStatus;
import dev.clipflow.transcode.job.JobTestSupport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Outcomes a worker records: bounded retries with backoff, lost leases. */
@QuarkusTest
class JobStoreTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    JobStore store;

    @Test
    void transientFailuresAreRetriedWithBackoffUntilTheAttemptsRunOut() {
        Job job = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.RUNNING, Instant.now(),
                "w1", Instant.now().plus(HOUR));
        assertThat(store.failed(job.id, "w1", "Storage unavailable", false, 3, HOUR)).isEqualTo(JobStore.Outcome.REQUEUED);
        Job requeued = JobTestSupport.find(job.id);
        assertThat(requeued.status).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.error).isEqualTo("Storage unavailable");
        assertThat(requeued.notBefore).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(requeued.leaseOwner).isNull();

        // third attempt fails too: FAILED for good, video.failed published
        QuarkusTransaction.requiringNew().run(() -> {
            Job row = Job.findById(job.id);
            row.status = JobStatus.RUNNING;
            row.leaseOwner = "w1";
            row.leaseUntil = Instant.now().plus(HOUR);
            row.attempts = 3;
        });
        assertThat(store.failed(job.id, "w1", "Storage unavailable", false, 3, HOUR)).isEqualTo(JobStore.Outcome.FAILED);
        assertThat(JobTestSupport.find(job.id).status).isEqualTo(JobStatus.FAILED);
        KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "jobId", job.id, Duration.ofSeconds(30));
    }

    @Test
    void aJobWhoseWorkerDiedOnEveryAttemptFailsInsteadOfBeingClaimedAgain() {
        // its worker vanished (pod evicted, OOM-killed) on the third and last attempt: the lease ran out
        Job job = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.RUNNING, Instant.now(),
                "evicted-pod", Instant.now().minusSeconds(5));
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(job.id).attempts = 3);

        assertThat(store.claim("w2", HOUR, 3)).map(claimed -> claimed.id).isNotEqualTo(Optional.of(job.id));
        Job failed = JobTestSupport.find(job.id);
        assertThat(failed.status).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error).isEqualTo(JobStore.ABANDONED_REASON);
        assertThat(failed.leaseOwner).isNull();
        KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "jobId", job.id, Duration.ofSeconds(30));
    }

    @Test
    void aJobReclaimedAfterItsLeaseExpiredCountsAsAnAttempt() {
        Job job = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.RUNNING, Instant.now(),
                "evicted-pod", Instant.now().minusSeconds(5));
        // claimed by this call or by the test application's own worker: either way a second attempt
        store.claim("w2", HOUR, 3);
        Job reclaimed = JobTestSupport.find(job.id);
        assertThat(reclaimed.attempts).isGreaterThanOrEqualTo(2);
        assertThat(reclaimed.leaseOwner).isNotEqualTo("evicted-pod");
    }

    @Test
    void aWorkerThatLostItsLeaseChangesNothing() {
        Job job = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.RUNNING, Instant.now(),
                "new-owner", Instant.now().plus(HOUR));
        assertThat(store.heartbeat(job.id, "old-owner", HOUR)).isFalse();
        assertThat(store.succeeded(job.id, "old-owner", null)).isEqualTo(JobStore.Outcome.LOST);
        assertThat(store.failed(job.id, "old-owner", "x", true, 3, HOUR)).isEqualTo(JobStore.Outcome.LOST);
        store.progress(job.id, "old-owner", 50);
        Job unchanged = JobTestSupport.find(job.id);
        assertThat(unchanged.status).isEqualTo(JobStatus.RUNNING);
        assertThat(unchanged.leaseOwner).isEqualTo("new-owner");
        assertThat(unchanged.progress).isZero();
        assertThat(store.heartbeat(job.id, "new-owner", HOUR)).isTrue();
    }
}
