package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.notify.config.NotifyConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Keeps the delivery log from growing forever: every {@code purge-interval} the finished deliveries completed
 * more than {@code retention} ago are deleted with their attempts, {@code purge-batch-size} per transaction
 * (short transactions on rows the dispatcher never claims: sending goes on meanwhile). Pending deliveries
 * are never purged. Any number of replicas may run it at once ({@code skip locked}).
 */
@ApplicationScoped
public class DeliveryPurge {

    private final DeliveryStore store;
    private final NotifyConfig.Delivery config;

    public DeliveryPurge(DeliveryStore store, NotifyConfig config) {
        this.store = store;
        this.config = config.delivery();
    }

    @Scheduled(identity = "webhook-delivery-purge", every = "${clipflow.notify.delivery.purge-interval:1h}",
            delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (RuntimeException e) {
            Log.warnf("Purging old webhook deliveries failed (next try in %s): %s", config.purgeInterval(),
                    e.getMessage());
        }
    }

    /** Deletes every finished delivery past the retention, batch by batch; returns how many. */
    public long purge() {
        Instant cutoff = Instant.now().minus(config.retention());
        long total = 0;
        int deleted;
        do {
            deleted = store.purgeFinishedBefore(cutoff, config.purgeBatchSize());
            total += deleted;
        } while (deleted == config.purgeBatchSize());
        if (total > 0) {
            Log.infof("Purged %d webhook deliveries completed before %s", total, cutoff);
        }
        return total;
    }
}
