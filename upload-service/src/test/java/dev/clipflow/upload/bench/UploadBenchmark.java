package dev.clipflow.upload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import dev.clipflow.upload.support.QuotaStub;
import dev.clipflow.upload.support.Videos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Upload benchmark (prints figures; asserts nothing). Starts PostgreSQL, Kafka, the JWKS/token
 * issuer and the quota stub, runs the packaged upload-service ({@code target/quarkus-app}) as its
 * own process, then in one run on the same disk:
 * <ol>
 *   <li>{@code cat file > dest} of a 1 GiB file vs a chunked upload of the same file over loopback;</li>
 *   <li>finalize (POST complete) time for 100 MiB vs 1 GiB;</li>
 *   <li>peak RSS of the service while it ingests 4 GiB.</li>
 * </ol>
 * Run: {@code ./mvnw -q -pl upload-service -am package -DskipTests} then
 * {@code ./mvnw -q -pl upload-service -am test -Dclipflow.bench=true -Dtest=UploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Everything is written under one temp dir that is deleted afterwards.
 */
public class UploadBenchmark {

    static final long MIB = 1024 * 1024;
    static final long CHUNK = 16 * MIB;
    static final int PARALLEL = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @EnabledIfSystemProperty(named = "clipflow.bench", matches = "true")
    void run() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("clipflow-upload-bench");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Package first: ./mvnw -q -pl upload-service -am package -DskipTests");
        }
        Process service = null;
        try (Postgres postgres = Postgres.start(work.resolve("pg"), Ports.free());
                KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(),
                        work.resolve("kafka.log"));
                JwtIssuer jwt = JwtIssuer.start();
                QuotaStub quota = QuotaStub.start()) {
            int port = Ports.free();
            Path blobs = work.resolve("blobs");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl("postgres"),
                    "-Dquarkus.datasource.username=" + Postgres.USER,
                    "-Dquarkus.datasource.password=postgres",
                    "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "-Dmp.jwt.verify.publickey.location=" + jwt.jwksUrl(),
                    "-Dmp.jwt.verify.issuer=" + JwtIssuer.ISSUER,
                    "-Dquarkus.oidc-client.token-path=" + jwt.tokenUrl(),
                    "-Dquarkus.rest-client.quota.url=" + quota.url(),
                    "-Dclipflow.storage.local-root=" + blobs,
                    "-Dclipflow.upload.max-file-size=" + 8L * 1024 * MIB,
                    "-jar", jar.toString()));
            String extra = System.getProperty("bench.serverArgs", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(command.size() - 2, List.of(extra.split("\\s+")));
            }
            service = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("service.log").toFile()).start();
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, service, work.resolve("service.log"));
            UUID user = UUID.randomUUID();
            quota.limit(user, 1L << 40);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Client client = new Client(http, base, jwt, user);

            System.out.printf("%nClipflow upload benchmark  (%d cores, chunk %d MiB, %d parallel PUTs, JVM %s, service args: %s)%n",
                    Runtime.getRuntime().availableProcessors(), CHUNK / MIB, PARALLEL, System.getProperty("java.version"),
                    extra.isEmpty() ? "(none)" : extra);

            Path gib = videoFile(work.resolve("source-1g.mp4"), 1024 * MIB);
            Path mib100 = videoFile(work.resolve("source-100m.mp4"), 100 * MIB);

            // 1. cat vs chunked upload, same file, same disk (cat plain, and cat + sync since acknowledged chunks are flushed)
            Path catTarget = blobs.resolve("cat-copy.bin");
            Files.createDirectories(blobs);
            double catPlain = timeShell("cat '" + gib + "' > '" + catTarget + "'");
            Files.delete(catTarget);
            double catSeconds = timeShell("cat '" + gib + "' > '" + catTarget + "' && sync -f '" + catTarget + "'");
            Files.delete(catTarget);
            Result one = client.upload(gib, "one-gib.mp4", null);
            double catRate = 1024 / catSeconds;
            double uploadRate = 1024 / one.uploadSeconds;
            System.out.printf("1 GiB  cat file > dest:           %6.2f s  %7.1f MiB/s%n", catPlain, 1024 / catPlain);
            System.out.printf("1 GiB  cat file > dest + sync:    %6.2f s  %7.1f MiB/s%n", catSeconds, catRate);
            System.out.printf("1 GiB  chunked upload (loopback): %6.2f s  %7.1f MiB/s  -> %.2fx of cat+sync, %.2fx of cat "
                    + "(target >= 0.8x)%n", one.uploadSeconds, uploadRate, uploadRate / catRate, uploadRate / (1024 / catPlain));
            System.out.printf("load average during the run: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());

            // 2. finalize 100 MiB vs 1 GiB
            Result hundred = client.upload(mib100, "hundred-mib.mp4", null);
            System.out.printf("finalize 100 MiB: %6.3f s%nfinalize 1 GiB:   %6.3f s  -> ratio %.2f (target within 2x)%n",
                    hundred.completeSeconds, one.completeSeconds, one.completeSeconds / hundred.completeSeconds);
            deleteTree(blobs.resolve("originals"));
            Files.delete(gib);
            Files.delete(mib100);

            // 3. peak RSS while ingesting 4 GiB (generated on the fly: no source file)
            long pid = service.pid();
            long before = rssKb(pid, "VmRSS");
            AtomicLong peak = new AtomicLong(before);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rssKb(pid, "VmRSS"), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            Result four = client.upload(null, "four-gib.mp4", 4096 * MIB, 64 * MIB);
            sampler.interrupt();
            sampler.join();
            System.out.printf("4 GiB  ingest in 64 MiB chunks: %6.2f s (%7.1f MiB/s), finalize %.3f s; service RSS before %d MB, peak %d MB, "
                    + "VmHWM %d MB (target < 300 MB)%n", four.uploadSeconds, 4096 / four.uploadSeconds,
                    four.completeSeconds, before / 1024, peak.get() / 1024, rssKb(pid, "VmHWM") / 1024);
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
            deleteTree(work);
        }
    }

    record Result(double uploadSeconds, double completeSeconds) {
    }

    /** The upload API over HTTP/1.1 with bodies streamed from the file (or generated), never held whole. */
    record Client(HttpClient http, String base, JwtIssuer jwt, UUID user) {

        Result upload(Path file, String name, Long generatedSize) throws Exception {
            return upload(file, name, generatedSize, CHUNK);
        }

        Result upload(Path file, String name, Long generatedSize, long chunk) throws Exception {
            long size = file != null ? Files.size(file) : generatedSize;
            JsonNode created = send(HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of(
                            "fileName", name, "size", size, "chunkSize", chunk, "contentType", "video/mp4")))), 201);
            UUID id = UUID.fromString(created.get("uploadId").asText());
            int total = created.get("totalChunks").asInt();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                workers.add(pool.submit(() -> {
                    int index;
                    while ((index = next.getAndIncrement()) < total) {
                        long offset = index * chunk;
                        long length = Math.min(chunk, size - offset);
                        int i = index;
                        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> file != null ? range(file, offset, length)
                                        : generated(i, length, offset)), length);
                        send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id + "/chunks/" + index))
                                .header("Content-Type", "application/octet-stream").PUT(body), 200);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            JsonNode completed = send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id + "/complete"))
                    .POST(HttpRequest.BodyPublishers.noBody()), -1);
            double completeSeconds = (System.nanoTime() - t1) / 1e9;
            if (file != null && !"PROCESSING".equals(completed.path("status").asText())) {
                throw new IllegalStateException("complete failed: " + completed);
            }
            return new Result(uploadSeconds, completeSeconds);
        }

        JsonNode send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + jwt.user(user))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (expected > 0 && response.statusCode() != expected) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        }
    }

    static InputStream range(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new java.io.BufferedInputStream(new BoundedStream(java.nio.channels.Channels.newInputStream(channel), length),
                    256 * 1024);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Pseudo-random bytes (chunk 0 starts with a real MP4 so the probe accepts the file). */
    static InputStream generated(int index, long length, long offset) {
        byte[] block = new byte[(int) MIB];
        new Random(index).nextBytes(block);
        byte[] head = index == 0 ? mp4WithFreeBox(4096 * MIB) : new byte[0];
        return new InputStream() {
            long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int i = 0; i < n; i++) {
                    long p = position + i;
                    b[off + i] = offset + p < head.length ? head[(int) p] : block[(int) (p % block.length)];
                }
                position += n;
                return n;
            }
        };
    }

    /** A real MP4 followed by the 16-byte header of a 'free' box that fills the file up to {@code size}. */
    static byte[] mp4WithFreeBox(long size) {
        byte[] mp4 = Videos.mp4Bytes();
        ByteBuffer header = ByteBuffer.allocate(16).putInt(1).put("free".getBytes()).putLong(size - mp4.length);
        byte[] out = new byte[mp4.length + 16];
        System.arraycopy(mp4, 0, out, 0, mp4.length);
        System.arraycopy(header.array(), 0, out, mp4.length, 16);
        return out;
    }

    static Path videoFile(Path target, long size) throws IOException {
        byte[] head = mp4WithFreeBox(size);
        byte[] block = new byte[(int) MIB];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(head);
            long left = size - head.length;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        return target;
    }

    static double timeShell(String script) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", script).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + script);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static long rssKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return 0;
    }

    static void awaitReady(String base, Process service, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("upload-service died:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("upload-service did not become ready");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Reads at most {@code limit} bytes. */
    static final class BoundedStream extends java.io.FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
