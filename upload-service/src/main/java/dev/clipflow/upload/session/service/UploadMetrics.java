package dev.clipflow.upload.session.service;

import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * upload-service's meters (docs/operations.md, "Meters"), registered at start so every series exists
 * from the first scrape: {@code clipflow_upload_received_bytes_total{protocol}} and
 * {@code clipflow_upload_chunks_received_total{protocol}} (new data stored: a repeated chunk counts
 * once), {@code clipflow_upload_sessions{state}} (counted in the database every
 * {@code clipflow.upload.metrics-interval}, the same on every replica) and
 * {@code clipflow_upload_completion_duration_seconds{outcome}} (assembly, hashing and probe of a
 * completion; outcome completed or failed) and {@code clipflow_upload_digest_readback_bytes_total} (bytes the
 * whole-file SHA-256 read back from staging because they could not be hashed as they arrived: chunks after a
 * gap, the later parts of a tus concatenation).
 */
@ApplicationScoped
@Startup
public class UploadMetrics {

    private final UploadSessionRepository sessions;
    private final MeterRegistry registry;
    private final Map<UploadSession.Protocol, Counter> bytes = new EnumMap<>(UploadSession.Protocol.class);
    private final Map<UploadSession.Protocol, Counter> chunks = new EnumMap<>(UploadSession.Protocol.class);
    private final Map<UploadSession.State, AtomicLong> byState = new EnumMap<>(UploadSession.State.class);
    private final Counter readBack;

    public UploadMetrics(UploadSessionRepository sessions, MeterRegistry registry) {
        this.sessions = sessions;
        this.registry = registry;
        for (UploadSession.Protocol protocol : UploadSession.Protocol.values()) {
            String tag = protocol.name().toLowerCase(Locale.ROOT);
            bytes.put(protocol, Counter.builder("clipflow.upload.received.bytes").baseUnit("bytes")
                    .description("Upload data received and stored, by protocol").tag("protocol", tag).register(registry));
            chunks.put(protocol, Counter.builder("clipflow.upload.chunks.received")
                    .description("Chunks (tus: PATCH segments) received and stored, by protocol").tag("protocol", tag)
                    .register(registry));
        }
        for (UploadSession.State state : UploadSession.State.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(state, count);
            Gauge.builder("clipflow.upload.sessions", count, AtomicLong::get)
                    .description("Upload sessions by state").tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        readBack = Counter.builder("clipflow.upload.digest.readback.bytes").baseUnit("bytes")
                .description("Bytes the whole-file SHA-256 read back from staging (not hashed as they arrived)")
                .register(registry);
        for (String outcome : new String[] {"completed", "failed"}) {
            completionTimer(outcome);
        }
    }

    /** A chunk (or tus segment) of {@code length} bytes was stored for the first time. */
    public void received(UploadSession.Protocol protocol, long length) {
        bytes.get(protocol).increment(length);
        chunks.get(protocol).increment();
    }

    /** The whole-file SHA-256 read {@code length} bytes back from staging. */
    public void readBack(long length) {
        readBack.increment(length);
    }

    /** A completion ran for {@code nanos}; outcome completed or failed. */
    public void completion(String outcome, long nanos) {
        completionTimer(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer completionTimer(String outcome) {
        return Timer.builder("clipflow.upload.completion.duration")
                .description("Time to complete an upload (assemble, hash, probe, publish), by outcome")
                .tag("outcome", outcome).register(registry);
    }

    @Scheduled(every = "${clipflow.upload.metrics-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try {
            QuarkusTransaction.requiringNew().call(sessions::countByState)
                    .forEach((state, count) -> byState.get(state).set(count));
        } catch (RuntimeException e) {
            Log.warnf("Counting upload sessions failed (the gauges keep their last values): %s", e.getMessage());
        }
    }
}
