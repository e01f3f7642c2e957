package dev.clipflow.transcode.worker;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.List;

/**
 * Live unless the transcode workers are wedged ({@link JobWorker#wedged()}): a dead worker thread, or a
 * job still in flight a lease after it lost its lease. Nothing else fails liveness: a database or
 * Kafka outage makes the pod unready (and the workers wait), it does not restart it.
 */
@Liveness
@ApplicationScoped
public class WorkerLivenessCheck implements HealthCheck {

    private final JobWorker worker;

    public WorkerLivenessCheck(JobWorker worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> wedged = worker.wedged();
        if (wedged.isEmpty()) {
            return HealthCheckResponse.named("transcode-workers").up().withData("worker", worker.workerId()).build();
        }
        return HealthCheckResponse.named("transcode-workers").down().withData("worker", worker.workerId())
                .withData("reason", String.join("; ", wedged)).build();
    }
}
