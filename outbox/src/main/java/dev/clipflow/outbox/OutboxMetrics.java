package dev.clipflow.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox backlog as gauges: {@code clipflow_outbox_backlog} (rows not yet acknowledged by Kafka)
 * and {@code clipflow_outbox_oldest_age_seconds} (how long the oldest one has waited; 0 when empty).
 * Counted in the database every {@code clipflow.outbox.metrics-interval}, so every replica shows the
 * service's whole backlog and a scrape never waits for a query. A growing age means events are not
 * leaving: Kafka is unreachable or refuses them (the relay's warnings say which).
 */
@ApplicationScoped
@Startup
public class OutboxMetrics {

    private final EntityManager em;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestMillis = new AtomicLong();

    public OutboxMetrics(EntityManager em, MeterRegistry registry) {
        this.em = em;
        Gauge.builder("clipflow.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox events waiting to be acknowledged by Kafka")
                .register(registry);
        Gauge.builder("clipflow.outbox.oldest.age", oldestMillis, millis -> millis.get() / 1000.0)
                .description("Age of the oldest outbox event waiting to be sent").baseUnit("seconds")
                .register(registry);
    }

    @Scheduled(every = "${clipflow.outbox.metrics-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try {
            Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                    select count(*), coalesce(extract(epoch from (now() - min(created_at))) * 1000, 0)
                    from outbox_message""").getSingleResult());
            backlog.set(((Number) row[0]).longValue());
            oldestMillis.set(Math.max(0, ((Number) row[1]).longValue()));
        } catch (RuntimeException e) {
            Log.warnf("Counting the outbox backlog failed (the gauges keep their last values): %s", e.getMessage());
        }
    }
}
