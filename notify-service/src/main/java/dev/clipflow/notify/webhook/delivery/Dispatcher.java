package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.notify.config.NotifyConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends due deliveries: every {@code poll-interval} (its own timer: Quarkus' scheduler does not go below
 * one second, and a retry's pause should not grow by up to a second) it leases a batch (PostgreSQL, {@code skip locked}: any
 * number of replicas), sends each on its own worker thread (at most {@code concurrency} at once) and records
 * the outcome. State lives only in the database: a restart or crash loses nothing, a leased delivery whose
 * sender died is due again when its lease ends (at least once: the receiver deduplicates on webhook-id).
 */
@ApplicationScoped
public class Dispatcher {

    private final DeliveryStore store;
    private final TargetGuard guard;
    private final WebhookSender sender;
    private final NotifyConfig.Delivery config;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-dispatcher");
        thread.setDaemon(true);
        return thread;
    });

    public Dispatcher(DeliveryStore store, TargetGuard guard, WebhookSender sender, NotifyConfig config) {
        this.store = store;
        this.guard = guard;
        this.sender = sender;
        this.config = config.delivery();
        this.workers = Executors.newFixedThreadPool(this.config.concurrency(), r -> {
            Thread thread = new Thread(r, "webhook-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.slots = new Semaphore(this.config.concurrency());
    }

    void start(@Observes StartupEvent event) {
        long every = config.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            List<UUID> due = store.claimDue(Math.min(free, config.batchSize()));
            for (UUID id : due) {
                slots.acquireUninterruptibly();
                workers.submit(() -> {
                    try {
                        deliver(id);
                    } catch (RuntimeException e) {
                        Log.warnf("Delivery %s: %s (due again after its lease)", id, e.getMessage());
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (RuntimeException e) {
            Log.warnf("Claiming webhook deliveries failed: %s", e.getMessage());
        }
    }

    void deliver(UUID deliveryId) {
        DeliveryStore.Claimed claimed = store.load(deliveryId);
        if (claimed == null) {
            return;
        }
        if (!claimed.endpointEnabled()) {
            store.skipDisabled(deliveryId);
            return;
        }
        Instant at = Instant.now();
        WebhookSender.Outcome outcome;
        try {
            TargetGuard.Target target = guard.check(claimed.url());
            long timestamp = at.getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", claimed.messageId());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", String.join(" ", claimed.secrets().stream()
                    .map(secret -> Signatures.sign(secret, claimed.messageId(), timestamp, claimed.payload()))
                    .toList()));
            headers.put("user-agent", "Clipflow-Webhooks/1");
            outcome = sender.send(target, headers, claimed.payload());
        } catch (TargetGuard.Refused e) {
            outcome = new WebhookSender.Outcome(null, 0, null, "Target refused: " + e.getMessage());
        }
        store.record(deliveryId, claimed.attempt(), at, outcome);
        Log.debugf("Delivery %s attempt %d: %s", deliveryId, claimed.attempt(),
                outcome.statusCode() != null ? "HTTP " + outcome.statusCode() : outcome.error());
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
