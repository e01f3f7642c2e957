package dev.clipflow.catalog.bandwidth;

import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.outbox.Outbox;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the bytes actually sent per video owner and reports them as {@code usage.bandwidth}
 * events (kind SERVED) in small batches through the outbox: one event per owner per flush.
 * Counting and draining use atomic per-key operations, so no byte is counted twice or lost.
 */
@ApplicationScoped
public class BandwidthMeter {

    private final ConcurrentHashMap<UUID, Long> pending = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private volatile Instant windowStart = Instant.now();

    public BandwidthMeter(Outbox outbox) {
        this.outbox = outbox;
    }

    public void record(UUID ownerId, long bytes) {
        if (bytes > 0) {
            dev.clipflow.catalog.config.CatalogMeters.streamed(bytes);
            pending.merge(ownerId, bytes, Long::sum);
        }
    }

    /** Bytes served for an owner and not reported yet. */
    public long pending(UUID ownerId) {
        return pending.getOrDefault(ownerId, 0L);
    }

    @Scheduled(every = "${clipflow.catalog.bandwidth.flush-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        flush();
    }

    /** Publishes what was counted since the last flush; returns the number of events. */
    public synchronized int flush() {
        if (pending.isEmpty()) {
            windowStart = Instant.now();
            return 0;
        }
        Instant start = windowStart;
        Instant end = Instant.now();
        Map<UUID, Long> drained = new HashMap<>();
        for (UUID owner : pending.keySet()) {
            Long bytes = pending.remove(owner);
            if (bytes != null && bytes > 0) {
                drained.put(owner, bytes);
            }
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> drained.forEach((owner, bytes) ->
                    outbox.publish(Topics.USAGE_BANDWIDTH, owner, new UsageBandwidth(owner, bytes, "SERVED", start, end))));
            windowStart = end;
            return drained.size();
        } catch (RuntimeException e) {
            drained.forEach((owner, bytes) -> pending.merge(owner, bytes, Long::sum));
            Log.warnf("Could not record bandwidth usage, will retry: %s", e.getMessage());
            return 0;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            flush();
        } catch (RuntimeException e) {
            Log.warnf("Bandwidth usage not flushed at shutdown: %s", e.getMessage());
        }
    }
}
