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
 * through {@code /stream} against {@code cat} of the same file; 3) the same 1 GiB file and an HLS
 * segment served by nginx ({@code sendfile on}, started here over the same blob folder) against
 * the catalog, with the same clients: curl for the 1 GiB file (three rounds each, medians), wrk
 * with 64 connections for the segment (p99 latency).
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

    @Test
    void streamingAndHlsSegmentsAgainstNginx() throws Exception {
        long size = 1L << 30;
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Nginx", Visibility.PRIVATE);
        Path blobs = dev.clipflow.catalog.support.CatalogTestResource.blobs().toAbsolutePath();
        Path big = Files.createTempFile("clipflow-bench-", ".mp4");
        Path segment = Files.createTempFile("clipflow-bench-", ".ts");
        byte[] block = new byte[1 << 20];
        new java.util.Random(1).nextBytes(block);
        try (var out = Files.newOutputStream(big)) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block);
            }
        }
        Files.write(segment, block); // 1 MiB: a 4 s segment at 2 Mbit/s
        store.putFile(BlobKeys.mp4(id), big, "video/mp4");
        store.putFile(BlobKeys.hls(id, "240p/seg_bench.ts"), segment, "video/mp2t");
        Files.delete(big);
        Files.delete(segment);
        String token = JwtResource.tokens().user(owner);
        int port = dev.clipflow.testinfra.servers.Ports.free();
        Path dir = Files.createTempDirectory("clipflow-bench-nginx");
        Process nginx = nginx(dir, port, blobs);
        try {
            awaitPort(port);
            String ours = base() + "/api/videos/" + id + "/stream";
            String theirs = "http://127.0.0.1:" + port + "/" + BlobKeys.mp4(id);
            List<Double> oursSeconds = new ArrayList<>();
            List<Double> theirsSeconds = new ArrayList<>();
            curl(theirs, null); // the file in the page cache for both
            for (int round = 0; round < 3; round++) {
                oursSeconds.add(curl(ours, token));
                theirsSeconds.add(curl(theirs, null));
            }
            double mine = median(oursSeconds);
            double ref = median(theirsSeconds);
            System.out.printf("%nBENCH 1 GiB MP4 with curl: catalog /stream %.2f s (%.0f MiB/s; %s), nginx sendfile %.2f s "
                    + "(%.0f MiB/s; %s) -> %.2fx of nginx (target >= 0.5x)%n", mine, 1024 / mine, oursSeconds, ref,
                    1024 / ref, theirsSeconds, ref / mine);
            BenchResults.record("catalog.stream_curl_mibs", 1024 / mine);
            BenchResults.record("catalog.nginx_curl_mibs", 1024 / ref);
            BenchResults.record("catalog.stream_ratio_vs_nginx", ref / mine);

            int seconds = Integer.getInteger("bench.hlsSeconds", 10);
            String segmentPath = "/api/videos/" + id + "/hls/240p/seg_bench.ts";
            warmUp(base() + segmentPath, token);
            double oursP99 = wrk(base() + segmentPath, token, seconds, true);
            double theirsP99 = wrk("http://127.0.0.1:" + port + "/" + BlobKeys.hls(id, "240p/seg_bench.ts"), null, seconds,
                    true);
            System.out.printf("BENCH HLS 1 MiB segment, 64 connections (wrk, %d s): p99 catalog %.1f ms, nginx %.1f ms "
                    + "-> %.2fx of nginx (target within 2x)%n", seconds, oursP99, theirsP99, oursP99 / theirsP99);
            BenchResults.record("catalog.hls64_p99_ms", oursP99);
            BenchResults.record("catalog.nginx_hls64_p99_ms", theirsP99);
            BenchResults.record("catalog.hls64_p99_ratio_vs_nginx", oursP99 / theirsP99);
        } finally {
            nginx.destroy();
            nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            dev.clipflow.testinfra.files.Folders.deleteTree(dir);
            store.delete(BlobKeys.mp4(id));
        }
    }

    /**
     * Readers of {@code url} until the service is warm: the first requests of 64 readers fetch the owner's quota, and
     * the JIT's C2 compiles the request path over some 10,000s of requests, longer on a slow CPU (a fixed 20 s left it
     * compiling through the measured run, a fifth of the cores). Rounds of 5 s, at least 4, until one in which the
     * compilers took less than 2 % of the machine (this JVM is the service), at most 120 s: a service that has run for
     * a while, as one in production has, against nginx that needs no warm-up.
     */
    private static void warmUp(String url, String token) throws Exception {
        var compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        int minimum = Integer.getInteger("bench.hlsWarmupSeconds", 20);
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            long compiled0 = compiler.getTotalCompilationTime();
            long round0 = System.nanoTime();
            wrk(url, token, 5, false);
            double share = (compiler.getTotalCompilationTime() - compiled0) / ((System.nanoTime() - round0) / 1e6 * cores);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH warm-up round %d: compilers busy %.1f %% of the machine%n", round, 100 * share);
            if ((elapsed >= minimum && share < 0.02) || elapsed >= 120) {
                System.out.printf("BENCH warm-up: %.0f s%n", elapsed);
                BenchResults.record("catalog.hls64_warmup_s", elapsed);
                return;
            }
        }
    }

    /** Seconds curl takes to fetch {@code url} into /dev/null (the same client for the catalog and nginx). */
    private static double curl(String url, String token) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add(url);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String[] out = new String(curl.getInputStream().readAllBytes()).trim().split(" ");
        curl.waitFor();
        if (!"200".equals(out[0]) || Long.parseLong(out[1]) != 1L << 30) {
            throw new IllegalStateException("curl " + url + ": " + String.join(" ", out));
        }
        return Double.parseDouble(out[2]);
    }

    /** p99 latency in ms of wrk with 64 connections (2 threads) against {@code url} for {@code seconds}. */
    private static double wrk(String url, String token, int seconds, boolean check) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s", "--timeout", "30s",
                "--latency"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        System.out.println("BENCH wrk " + url.replaceAll("/api/videos/[^/]+", "/api/videos/{id}") + "\n" + output);
        if (!check) {
            return 0;
        }
        if (output.contains("Non-2xx") || output.contains(" 0 requests in")) {
            throw new IllegalStateException("wrk " + url + " got errors or no answers:\n" + output);
        }
        java.util.regex.Matcher p99 = java.util.regex.Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!p99.find()) {
            throw new IllegalStateException("no p99 in wrk output:\n" + output);
        }
        double value = Double.parseDouble(p99.group(1));
        return switch (p99.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /** nginx serving {@code root} with sendfile on, as a static file server would. */
    private static Process nginx(Path dir, int port, Path root) throws java.io.IOException {
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                daemon off;
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  sendfile on;
                  tcp_nopush on;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                  }
                }
                """.formatted(dir, port, root);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        String binary = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        return new ProcessBuilder(binary, "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
