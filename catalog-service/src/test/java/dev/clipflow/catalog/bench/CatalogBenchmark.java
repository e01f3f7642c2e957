package dev.clipflow.catalog.bench;

import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.testinfra.bench.BenchResults;
import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints figures; asserts nothing about speed. Run on demand (it is skipped in normal builds):
 * <pre>./mvnw -q -pl catalog-service -am verify -Dtest=CatalogBenchmark -Dclipflow.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * 1) {@code GET /api/videos/{id}} with a JWT at a constant 500 req/s (open model: latency is
 * measured from the scheduled send time, so a stall is not hidden); 2) streaming a 1 GiB MP4
 * through {@code /stream} against {@code cat} of the same file.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "clipflow.bench", matches = "true")
class CatalogBenchmark {

    @Inject
    Fixtures fixtures;

    @Inject
    BlobStore store;

    private static String base() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    @Test
    void metadataAt500RequestsPerSecond() throws Exception {
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 30);
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Benchmark", Visibility.PRIVATE);
        String token = JwtResource.tokens().user(owner);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/videos/" + id))
                .header("Authorization", "Bearer " + token).build();
        List<Long> serial = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long t0 = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            if (i >= 200) {
                serial.add(System.nanoTime() - t0);
            }
        }
        Collections.sort(serial);
        System.out.printf("%nBENCH one client, back to back (service time): p50 %.2f ms  p99 %.2f ms  (%.0f req/s)%n",
                pct(serial, 50), pct(serial, 99), serial.size() / (serial.stream().mapToLong(Long::longValue).sum() / 1e9));
        run(client, request, rate, 5, null);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = run(client, request, rate, seconds, latencies);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%nBENCH GET /api/videos/{id} at %d req/s for %d s: %d requests, %d errors%n", rate, seconds,
                sorted.size(), errors.get());
        System.out.printf("BENCH latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted.get(sorted.size() - 1) / 1e6);
        BenchResults.record("catalog.rate_per_s", rate);
        BenchResults.record("catalog.errors", errors.get());
        BenchResults.record("catalog.p50_ms", pct(sorted, 50));
        BenchResults.record("catalog.p99_ms", pct(sorted, 99));
        BenchResults.record("catalog.p999_ms", pct(sorted, 99.9));
    }

    /**
     * Open-model load: a pacing thread hands each request, stamped with its scheduled time, to a
     * bounded pool of keep-alive workers; latency counts from the scheduled time, so queueing when
     * the service falls behind shows up in the figures instead of lowering the rate.
     */
    private static AtomicInteger run(HttpClient client, HttpRequest request, int rate, int seconds, List<Long> latencies)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(
                Integer.getInteger("bench.connections", 32));
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            workers.execute(() -> {
                try {
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else if (latencies != null) {
                        latencies.add(System.nanoTime() - scheduled);
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        return errors;
    }

    private static double pct(List<Long> sorted, double p) {
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    @Test
    void streamingOneGibibyteVersusCat() throws Exception {
        long size = 1L << 30;
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Big", Visibility.PRIVATE);
        Path big = Files.createTempFile("clipflow-bench-", ".mp4");
        byte[] block = new byte[1 << 20];
        new java.util.Random(1).nextBytes(block);
        try (var out = Files.newOutputStream(big)) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block);
            }
        }
        store.putFile(BlobKeys.mp4(id), big, "video/mp4");
        Path stored = dev.clipflow.catalog.support.CatalogTestResource.blobs().resolve(BlobKeys.mp4(id));
        String token = JwtResource.tokens().user(owner);
        try {
            for (int round = 1; round <= 2; round++) {
                long t0 = System.nanoTime();
                Process cat = new ProcessBuilder("sh", "-c", "cat '" + stored + "' > /dev/null").start();
                cat.waitFor();
                double catSeconds = (System.nanoTime() - t0) / 1e9;

                t0 = System.nanoTime();
                HttpURLConnection connection = (HttpURLConnection) URI.create(base() + "/api/videos/" + id + "/stream")
                        .toURL().openConnection();
                connection.setRequestProperty("Authorization", "Bearer " + token);
                long received = 0;
                try (InputStream in = connection.getInputStream()) {
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = in.read(buffer)) > 0) {
                        received += read;
                    }
                }
                double httpSeconds = (System.nanoTime() - t0) / 1e9;
                if (received != size) {
                    throw new IllegalStateException("received " + received + " of " + size);
                }
                System.out.printf("BENCH round %d: cat 1 GiB %.2f s (%.0f MiB/s); GET /stream 1 GiB %.2f s (%.0f MiB/s); ratio %.2f%n",
                        round, catSeconds, 1024 / catSeconds, httpSeconds, 1024 / httpSeconds, httpSeconds / catSeconds);
                if (round == 2) { // warm page cache: the steady state
                    BenchResults.record("catalog.cat_mibs", 1024 / catSeconds);
                    BenchResults.record("catalog.stream_mibs", 1024 / httpSeconds);
                    BenchResults.record("catalog.stream_ratio_vs_cat", catSeconds / httpSeconds);
                }
            }
        } finally {
            Files.deleteIfExists(big);
            store.delete(BlobKeys.mp4(id));
        }
    }
}
