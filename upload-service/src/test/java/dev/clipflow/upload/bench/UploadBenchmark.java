package dev.clipflow.upload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.testinfra.files.Folders;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.upload.support.ServiceHarness;
import dev.clipflow.upload.support.Videos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload benchmark (prints figures; asserts nothing). Starts PostgreSQL, Kafka, the JWKS/token
 * issuer and the quota stub, runs the packaged upload-service ({@code target/quarkus-app}) as its
 * own process, then in one run on the same disk:
 * <ol>
 *   <li>{@code cat file > dest} of a 1 GiB file vs a chunked upload of the same file over loopback;</li>
 *   <li>finalize (POST complete) time for 100 MiB vs 1 GiB;</li>
 *   <li>peak RSS of the service while it ingests 4 GiB.</li>
 * </ol>
 * The client is a minimal HTTP/1.1 client over plain sockets that sends each chunk from the file
 * with {@code FileChannel.transferTo} (sendfile, like curl or a browser reading a File): the JDK
 * HttpClient copies every byte through several layers and was a bottleneck of its own. The
 * service runs with the JVM options it runs with in production ({@code deploy/local/upload-service.jvm},
 * the same as the Helm chart's upload-service javaOpts) unless {@code -Dbench.serverArgs} says otherwise.
 * Run from the repository root (packages the service, then runs this through failsafe):
 * {@code ./mvnw -q -B -pl upload-service -am verify -Dclipflow.bench=true -Dit.test=UploadBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 * With {@code CLIPFLOW_BENCH_RESULTS=<file>} the figures are also appended to that file as {@code key=value} lines.
 * Everything is written under one temp dir that is deleted afterwards.
 */
public class UploadBenchmark {

    static final long MIB = 1024 * 1024;
    static final long CHUNK = Long.getLong("bench.chunkMib", 16) * MIB;
    static final int PARALLEL = Integer.getInteger("bench.parallel", 4);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** {@code -Dbench.only=rss}: only the 4 GiB peak-RSS part (about a minute; for tuning the JVM options). */
    static final boolean RSS_ONLY = "rss".equals(System.getProperty("bench.only"));
    /** {@code -Dbench.only=tus}: only Clipflow's tus endpoint against {@code @tus/server} ({@link TusComparison}). */
    static final boolean TUS_ONLY = "tus".equals(System.getProperty("bench.only"));
    /** {@code -Dbench.only=parallel}: only the parallel uploads ({@link ParallelUploads}: tus parallelUploads 4, 4 clients). */
    static final boolean PARALLEL_ONLY = "parallel".equals(System.getProperty("bench.only"));
    /** {@code -Dbench.only=chunked}: the chunked upload against cat and the raw TCP floors, nothing else. */
    static final boolean CHUNKED_ONLY = "chunked".equals(System.getProperty("bench.only"));
    /** Where the production JVM options of the service live (relative to the module). */
    static final Path JVM_OPTIONS = Path.of("../deploy/local/upload-service.jvm");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @EnabledIfSystemProperty(named = "clipflow.bench", matches = "true")
    void run() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        try (ServiceHarness harness = new ServiceHarness()) {
            Path work = harness.work;
            Path blobs = harness.blobs();
            List<String> options = new ArrayList<>(List.of((System.getProperty("bench.serverArgs", productionJvmOptions())
                    + " " + System.getProperty("bench.extraServerArgs", "")).trim().split("\\s+")));
            options.removeIf(String::isEmpty);
            String extra = String.join(" ", options);
            PackagedService service = harness.start(harness.launcher().jvmOptions(options)
                    .javaHome(Path.of(System.getProperty("bench.javaHome", System.getProperty("java.home"))))
                    // the same file is uploaded again and again: with dedup every later upload would finish as a
                    // duplicate of the first (nothing assembled or probed), which is not what is measured here
                    .property("clipflow.upload.dedup", false)
                    // tracing as the Helm chart runs it without a collector (off): no collector runs here, and an
                    // exporter failing every batch is not a cost of the data path
                    .property("quarkus.otel.sdk.disabled", true));
            try {
                run(harness, service, work, blobs, extra);
            } finally {
                // keep the service's log for a look after the run (the work folder with its GiBs goes)
                Files.copy(service.log(), Path.of("target/bench-upload-service.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void run(ServiceHarness harness, PackagedService service, Path work, Path blobs, String extra) throws Exception {
        String base = service.baseUrl();
        int port = service.port();
        JwtIssuer jwt = harness.jwt;
        UUID user = UUID.randomUUID();
        harness.quota.limit(user, 1L << 40);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Client client = new Client(http, base, port, jwt, user);
        java.util.Map<String, Double> results = new java.util.LinkedHashMap<>();

        System.out.printf("%nClipflow upload benchmark  (%d cores, chunk %d MiB, %d parallel PUTs, JVM %s, service args: %s)%n",
                Runtime.getRuntime().availableProcessors(), CHUNK / MIB, PARALLEL,
                System.getProperty("bench.javaHome", System.getProperty("java.version")),
                extra.isEmpty() ? "(none)" : extra);

        if (RSS_ONLY) {
            peakRss(service, client, results);
            writeResults(results);
            return;
        }
        Path gib = videoFile(work.resolve("source-1g.mp4"), 1024 * MIB);
        if (TUS_ONLY) {
            TusComparison.run(harness, service, gib, results);
            writeResults(results);
            return;
        }
        if (PARALLEL_ONLY) {
            ParallelUploads.run(harness, service, gib, results);
            writeResults(results);
            return;
        }
        Path mib100 = videoFile(work.resolve("source-100m.mp4"), 100 * MIB);

        // 1. cat vs chunked upload, same file, same disk (cat plain, and cat + sync since acknowledged chunks are
        // flushed), ROUNDS rounds of all three with each output deleted before the next (a fresh VM's first touch
        // of page-cache memory is slow, so the first round is often slower for whoever goes first); medians
        Path catTarget = blobs.resolve("cat-copy.bin");
        Files.createDirectories(blobs);
        timeShell("cat '" + gib + "' > /dev/null"); // the source in the page cache for everyone
        List<Double> catPlains = new ArrayList<>();
        List<Double> catSyncs = new ArrayList<>();
        List<Double> uploads = new ArrayList<>();
        List<Double> completes = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        List<Double> rawHashed = new ArrayList<>();
        List<Double> floorCpus = new ArrayList<>();
        // warm-up (not counted): a fresh JVM's first requests load, interpret and compile their code (C1
        // compiles a method after a few hundred calls: 200 small chunks, then the file once)
        client.upload(mib100, "warm-up-small.mp4", null, 512 * 1024);
        client.upload(gib, "warm-up.mp4", null);
        Folders.deleteTree(blobs.resolve("originals"));
        for (int round = 0; round < ROUNDS; round++) {
            raws.add(rawTcpToFile(gib, catTarget, false).seconds());
            Files.delete(catTarget);
            Floor hashed = rawTcpToFile(gib, catTarget, true);
            rawHashed.add(hashed.seconds());
            floorCpus.add(hashed.receiverCpuSeconds());
            Files.delete(catTarget);
            catPlains.add(timeShell("cat '" + gib + "' > '" + catTarget + "'"));
            Files.delete(catTarget);
            catSyncs.add(timeShell("cat '" + gib + "' > '" + catTarget + "' && sync -f '" + catTarget + "'"));
            Files.delete(catTarget);
            double cpu0 = cpuSeconds(service.process().pid());
            Result one = client.upload(gib, "one-gib-" + round + ".mp4", null);
            cpus.add(cpuSeconds(service.process().pid()) - cpu0);
            uploads.add(one.uploadSeconds);
            completes.add(one.completeSeconds);
            Folders.deleteTree(blobs.resolve("originals"));
        }
        double catPlain = median(catPlains);
        double catSeconds = median(catSyncs);
        double uploadSeconds = median(uploads);
        double catRate = 1024 / catSeconds;
        double uploadRate = 1024 / uploadSeconds;
        System.out.printf("1 GiB  cat file > dest:           %6.2f s  %7.1f MiB/s   (median of %d: %s)%n", catPlain,
                1024 / catPlain, ROUNDS, seconds(catPlains));
        System.out.printf("1 GiB  cat file > dest + sync:    %6.2f s  %7.1f MiB/s   (%s)%n", catSeconds, catRate,
                seconds(catSyncs));
        System.out.printf("1 GiB  chunked upload (loopback): %6.2f s  %7.1f MiB/s   (%s) -> %.2fx of cat+sync, %.2fx of cat "
                + "(target >= 0.8x)%n", uploadSeconds, uploadRate, seconds(uploads), uploadRate / catRate,
                uploadRate / (1024 / catPlain));
        System.out.printf("       service CPU per GiB uploaded: %.2f s (%s); read back for the running SHA-256: %s%n",
                median(cpus), seconds(cpus), readBack(base));
        double raw = median(raws);
        double rawSha = median(rawHashed);
        System.out.printf("floor: 1 GiB over one raw TCP loopback connection into a file + fsync (no HTTP): %5.2f s "
                + "(%s) = %.2fx of cat+sync; with SHA-256 inline: %5.2f s (%s) = %.2fx of cat+sync%n", raw, seconds(raws),
                catSeconds / raw, rawSha, seconds(rawHashed), catSeconds / rawSha);
        System.out.printf("       chunked upload vs that floor: %.2fx (raw), %.2fx (raw + SHA-256)%n", raw / uploadSeconds,
                rawSha / uploadSeconds);
        System.out.printf("       the hashed floor's receiving thread: %.2f CPU s per GiB (%s); the service's CPU %.2fx of it "
                + "(this VM's CPU speed moves both)%n", median(floorCpus), seconds(floorCpus), median(cpus) / median(floorCpus));
        results.put("upload.floor_cpu_s_per_gib", median(floorCpus));
        results.put("upload.cpu_vs_floor_cpu", median(cpus) / median(floorCpus));
        results.put("upload.raw_tcp_mibs", 1024 / raw);
        results.put("upload.raw_tcp_sha_mibs", 1024 / rawSha);
        results.put("upload.ratio_vs_raw_tcp_sha", rawSha / uploadSeconds);
        System.out.printf("load average during the run: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        results.put("upload.cat_mibs", 1024 / catPlain);
        results.put("upload.cat_sync_mibs", catRate);
        results.put("upload.chunked_mibs", uploadRate);
        results.put("upload.ratio_vs_cat", uploadRate / (1024 / catPlain));
        results.put("upload.ratio_vs_cat_sync", uploadRate / catRate);
        results.put("upload.cpu_s_per_gib", median(cpus));
        Result one = new Result(uploadSeconds, median(completes));
        if (CHUNKED_ONLY) {
            writeResults(results);
            return;
        }

        // 1b. tus through a gateway: Clipflow against the reference server, same client, same file
        TusComparison.run(harness, service, gib, results);
        results.put("upload.chunked_vs_tus_64mib", uploadRate / results.get("upload.tus_64mib_mibs"));
        System.out.printf("chunked API (%d MiB, %d in flight, loopback) / tus 64 MiB (gateway): %.2fx%n", CHUNK / MIB,
                PARALLEL, uploadRate / results.get("upload.tus_64mib_mibs"));
        ParallelUploads.run(harness, service, gib, results); // 1c. tus parallelUploads 4 and 4 clients at once

        // 2. finalize 100 MiB vs 1 GiB
        Result hundred = client.upload(mib100, "hundred-mib.mp4", null);
        System.out.printf("finalize 100 MiB: %6.3f s%nfinalize 1 GiB:   %6.3f s  -> ratio %.2f (target within 2x)%n",
                hundred.completeSeconds, one.completeSeconds, one.completeSeconds / hundred.completeSeconds);
        results.put("upload.finalize_100mib_s", hundred.completeSeconds);
        results.put("upload.finalize_1gib_s", one.completeSeconds);
        results.put("upload.finalize_ratio", one.completeSeconds / hundred.completeSeconds);
        Folders.deleteTree(blobs.resolve("originals"));
        Files.delete(gib);
        Files.delete(mib100);

        // 3. peak RSS while ingesting 4 GiB (generated on the fly: no source file)
        peakRss(service, client, results);
        writeResults(results);
    }

    /**
     * What the service's SHA-256 read back from staging so far, in the warm-up and the rounds (its
     * {@code clipflow_upload_digest_readback_bytes_total}): chunks not hashed as they arrived.
     */
    static String readBack(String base) {
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            String metrics = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/q/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("clipflow_upload_digest_readback_bytes_total"))
                    .map(l -> String.format("%.0f MiB", Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) / MIB))
                    .findFirst().orElse("(no metric)");
        } catch (Exception e) {
            return "(metrics unreadable: " + e + ")";
        }
    }

    /** Peak RSS of the service while it ingests 4 GiB (generated on the fly: no source file). */
    static void peakRss(PackagedService service, Client client, java.util.Map<String, Double> results) throws Exception {
        long pid = service.process().pid();
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
        System.out.printf("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        results.put("upload.rss_idle_mb", before / 1024.0);
        results.put("upload.rss_peak_mb", Math.max(peak.get(), rssKb(pid, "VmHWM")) / 1024.0);
    }

    record Result(double uploadSeconds, double completeSeconds) {
    }

    /** The JVM options the service runs with in production (one file for ./clipflow, Helm and this benchmark). */
    static String productionJvmOptions() {
        try {
            return Files.readAllLines(JVM_OPTIONS).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(java.util.stream.Collectors.joining(" "));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + JVM_OPTIONS.toAbsolutePath(), e);
        }
    }

    /** Appends {@code key=value} lines (plain numbers) to the file named by CLIPFLOW_BENCH_RESULTS, if set. */
    static void writeResults(java.util.Map<String, Double> results) throws IOException {
        String target = System.getenv("CLIPFLOW_BENCH_RESULTS");
        if (target == null || target.isBlank()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        results.forEach((key, value) -> lines.append(key).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.3f", value)).append('\n'));
        Files.writeString(Path.of(target), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("results appended to " + target);
    }

    /** The upload API over HTTP/1.1 with bodies streamed from the file (or generated), never held whole. */
    record Client(HttpClient http, String base, int port, JwtIssuer jwt, UUID user) {

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
            String token = jwt.user(user);
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                workers.add(pool.submit(() -> {
                    try (RawHttp connection = new RawHttp(port);
                            FileChannel source = file != null ? FileChannel.open(file, StandardOpenOption.READ) : null) {
                        int index;
                        while ((index = next.getAndIncrement()) < total) {
                            long offset = index * chunk;
                            long length = Math.min(chunk, size - offset);
                            String path = "/api/uploads/" + id + "/chunks/" + index;
                            int status = source != null ? connection.put(path, token, source, offset, length)
                                    : connection.put(path, token, generated(index, offset, size), length);
                            if (status != 200) {
                                throw new IllegalStateException("chunk " + index + ": HTTP " + status);
                            }
                        }
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

    /**
     * 1 MiB of pseudo-random bytes that a generated chunk repeats (chunk 0 starts with a real MP4 of
     * the whole size so the probe accepts the file).
     */
    static ByteBuffer generated(int index, long offset, long totalSize) {
        byte[] block = new byte[(int) MIB];
        new Random(index).nextBytes(block);
        if (offset == 0) {
            byte[] head = mp4WithFreeBox(totalSize);
            System.arraycopy(head, 0, block, 0, head.length);
        }
        return ByteBuffer.allocateDirect(block.length).put(block).flip();
    }

    /**
     * One keep-alive HTTP/1.1 connection that PUTs bodies straight from a file region (sendfile) or
     * from a repeated buffer, and reads the status of the answer.
     */
    static final class RawHttp implements AutoCloseable {
        private final java.nio.channels.SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

        RawHttp(int port) throws IOException {
            channel = java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", port));
            channel.socket().setTcpNoDelay(true);
        }

        int put(String path, String token, FileChannel source, long offset, long length) throws IOException {
            head(path, token, length);
            long sent = 0;
            while (sent < length) {
                sent += source.transferTo(offset + sent, length - sent, channel);
            }
            return status();
        }

        int put(String path, String token, ByteBuffer block, long length) throws IOException {
            head(path, token, length);
            long sent = 0;
            while (sent < length) {
                // (in chunk 0 the repeats of the MP4 head lie inside its 'free' box: still a valid MP4)
                ByteBuffer slice = block.duplicate().position(0).limit((int) Math.min(block.capacity(), length - sent));
                while (slice.hasRemaining()) {
                    sent += channel.write(slice);
                }
            }
            return status();
        }

        private void head(String path, String token, long length) throws IOException {
            ByteBuffer head = ByteBuffer.wrap(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            while (head.hasRemaining()) {
                channel.write(head);
            }
        }

        /** Reads one response (Content-Length or chunked body) and answers its status code. */
        private int status() throws IOException {
            StringBuilder headers = new StringBuilder();
            while (headers.indexOf("\r\n\r\n") < 0) {
                headers.append(readSome());
            }
            int end = headers.indexOf("\r\n\r\n") + 4;
            String head = headers.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            StringBuilder body = new StringBuilder(headers.substring(end));
            int status = Integer.parseInt(head.substring(9, 12));
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(head);
            if (length.find()) {
                int wanted = Integer.parseInt(length.group(1));
                while (body.length() < wanted) {
                    body.append(readSome());
                }
            } else if (head.contains("transfer-encoding: chunked")) {
                while (body.indexOf("\r\n0\r\n\r\n") < 0 && !body.toString().startsWith("0\r\n\r\n")) {
                    body.append(readSome());
                }
            }
            return status;
        }

        private String readSome() throws IOException {
            in.clear();
            if (channel.read(in) < 0) {
                throw new IOException("connection closed by the service");
            }
            return new String(in.array(), 0, in.position(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
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

    /**
     * The floor any HTTP upload of the file is measured against: the client sends it over one loopback TCP
     * connection with sendfile, the receiver writes what arrives at its position in the target file (direct
     * buffer, positional writes), optionally SHA-256 over the same buffer, and flushes at the end: the seconds, and
     * the CPU seconds of the receiving thread (the kernel's receive and page-cache copies, the hash, the flush).
     */
    static Floor rawTcpToFile(Path source, Path target, boolean sha256) throws Exception {
        long size = Files.size(source);
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            long t0 = System.nanoTime();
            double[] receiverCpu = new double[1];
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try (SocketChannel socket = server.accept();
                        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    long position = 0;
                    while (position < size) {
                        buffer.clear();
                        if (socket.read(buffer) < 0) {
                            break;
                        }
                        buffer.flip();
                        if (sha256) {
                            digest.update(buffer.duplicate());
                        }
                        while (buffer.hasRemaining()) {
                            position += out.write(buffer, position);
                        }
                    }
                    out.force(false);
                    receiverCpu[0] = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                            - cpu0) / 1e9;
                    return position;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel client = SocketChannel.open(
                    new InetSocketAddress("127.0.0.1", port)); FileChannel in = FileChannel.open(source)) {
                long sent = 0;
                while (sent < size) {
                    sent += in.transferTo(sent, size - sent, client);
                }
            }
            if (received.get() != size) {
                throw new IllegalStateException("raw TCP copy received " + received.get() + " of " + size);
            }
            return new Floor((System.nanoTime() - t0) / 1e9, receiverCpu[0]);
        }
    }

    /** A floor's run: its seconds, and the CPU seconds its receiving thread used. */
    record Floor(double seconds, double receiverCpuSeconds) {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format(java.util.Locale.ROOT, "%.2f", v))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** User + system CPU seconds of a process so far (/proc/PID/stat, clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

}
