package dev.clipflow.transcode.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backlog KEDA scales the workers on (deploy/helm: a prometheus trigger on these gauges): the
 * queued and running jobs in the database, on /q/metrics of the running service.
 */
@QuarkusTest
class BacklogMetricsTest {

    private static final Instant LATER = Instant.now().plusSeconds(24 * 3600);

    @Test
    void queuedAndRunningJobsAreGaugesOnTheMetricsEndpoint() {
        // three jobs waiting (a retry backoff keeps the test's own worker from taking them) and one held
        List<Job> waiting = List.of(
                JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.QUEUED, LATER, null, null),
                JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.QUEUED, LATER, null, null),
                JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.QUEUED, LATER, null, null));
        Job held = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.RUNNING, Instant.now(),
                "another-pod", LATER);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(gauge("clipflow_transcode_jobs_queued")).isEqualTo(count(JobStatus.QUEUED)).isGreaterThanOrEqualTo(3);
            assertThat(gauge("clipflow_transcode_jobs_running")).isEqualTo(count(JobStatus.RUNNING)).isGreaterThanOrEqualTo(1);
        });

        // cancelled jobs are no backlog
        long before = gauge("clipflow_transcode_jobs_queued");
        QuarkusTransaction.requiringNew().run(() -> waiting.forEach(job -> Job.<Job>findById(job.id).cancelled = true));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(gauge("clipflow_transcode_jobs_queued")).isEqualTo(count(JobStatus.QUEUED)).isLessThanOrEqualTo(before - 3));
        QuarkusTransaction.requiringNew().run(() -> Job.<Job>findById(held.id).cancelled = true);
    }

    private static long count(JobStatus status) {
        return QuarkusTransaction.requiringNew().call(() -> Job.count("status = ?1 and cancelled = false", status));
    }

    private static long gauge(String name) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.Ee+-]+)$").matcher(metrics);
        assertThat(line.find()).as(name + " in /q/metrics").isTrue();
        return (long) Double.parseDouble(line.group(2));
    }
}
