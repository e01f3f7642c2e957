package dev.clipflow.upload.bench;

import dev.clipflow.storage.local.LocalBlobStore;
import dev.clipflow.storage.staging.LocalUploadStaging;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.upload.support.ServiceHarness;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Clipflow's tus endpoint against the reference tus server, side by side in one run: the stock
 * {@code @tus/server} with {@code @tus/file-store} (npm, started here on the same disk), both behind
 * one nginx started here with the gateway's proxy settings ({@code ./clipflow}'s: HTTP/1.1 upstream,
 * no request or response buffering), the same stock tus-js-client 4.3.1 in Node uploading the same
 * file with the same chunk sizes (8 and 64 MiB), {@code bench.rounds} rounds of both servers (which
 * of the two goes first alternates from round to round), medians, after a few uploads of 64 MiB to each (a fresh JVM's first requests load and
 * interpret their classes). Clipflow fsyncs every acknowledged chunk and computes the whole-file SHA-256;
 * the reference server does neither. Also the CPU seconds per GiB of the service and of the reference
 * server ({@code /proc/<pid>/stat}) during their uploads: with client, nginx and server on 2 cores, the
 * wall-time ratio mostly follows them. And in each round the durable floor of the chunk size
 * ({@link #durableFloor}): what the disk alone takes to write the file the way acknowledged chunks must be
 * written, so a run shows when the reference (which never flushes) outruns anything that does.
 */
final class TusComparison {

    static final String CLIENT_VERSION = "4.3.1";
    static final String SERVER_VERSION = "2.4.5";
    /** Chunk sizes compared, in MiB ({@code -Dbench.tusChunks=8,64}; a fraction such as 0.25 looks at the cost per PATCH). */
    static final long[] CHUNKS = java.util.Arrays.stream(System.getProperty("bench.tusChunks", "8,64").split(","))
            .mapToLong(mib -> (long) (Double.parseDouble(mib.trim()) * UploadBenchmark.MIB)).toArray();

    private TusComparison() {
    }

    static void run(ServiceHarness harness, PackagedService service, Path file, Map<String, Double> results)
            throws Exception {
        Path node = install(Path.of("target", "tus-bench").toAbsolutePath());
        Path referenceFiles = Files.createDirectories(harness.work.resolve("tus-reference"));
        int referencePort = Ports.free();
        int gatewayPort = Ports.free();
        Process reference = new ProcessBuilder("node", node.resolve("reference-server.js").toString(),
                String.valueOf(referencePort), referenceFiles.toString()).redirectErrorStream(true)
                .redirectOutput(harness.work.resolve("tus-reference.log").toFile()).directory(node.toFile()).start();
        Path gatewayDir = Files.createDirectories(harness.work.resolve("gateway"));
        Process gateway = startNginx(gatewayDir, gatewayPort, service.port(), referencePort);
        try {
            await(referencePort);
            await(gatewayPort);
            UUID user = UUID.randomUUID();
            harness.quota.limit(user, 1L << 42);
            String clipflow = "http://127.0.0.1:" + gatewayPort + "/api/tus/";
            String tusd = "http://127.0.0.1:" + gatewayPort + "/files/";
            String durableReference = "http://127.0.0.1:" + gatewayPort + "/durable/";
            long size = Files.size(file);
            double gib = size / (1024.0 * 1024 * 1024);
            // warm-up (not counted), to measure servers in their steady state: the first requests of a fresh
            // JVM load and interpret their classes, and C1 compiles a method after a few hundred calls (a
            // request's code: a few hundred requests; 152 PATCHes left it compiling 150 methods a second
            // through the measured rounds): 4 uploads of 64 MiB in 256 KiB chunks (1,024 PATCHes), then the
            // measured file once in 8 MiB chunks, to each server
            Path warmUp = UploadBenchmark.videoFile(harness.work.resolve("tus-warm-up.mp4"), 64 * UploadBenchmark.MIB);
            for (int i = 0; i < 4; i++) {
                upload(node, clipflow, harness.jwt.user(user), warmUp, 256 * 1024, "warm-up-" + i);
                upload(node, tusd, "-", warmUp, 256 * 1024, "warm-up-" + i);
            }
            Files.delete(warmUp);
            upload(node, clipflow, harness.jwt.user(user), file, 8 * UploadBenchmark.MIB, "warm-up-file");
            upload(node, tusd, "-", file, 8 * UploadBenchmark.MIB, "warm-up-file");
            dev.clipflow.testinfra.files.Folders.deleteTree(harness.blobs().resolve("originals"));
            dev.clipflow.testinfra.files.Folders.deleteTree(referenceFiles);
            Files.createDirectories(referenceFiles.resolve("durable"));
            for (long chunk : CHUNKS) {
                List<Double> ours = new ArrayList<>();
                List<Double> theirs = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                List<Double> referenceCpu = new ArrayList<>();
                List<Double> durable = new ArrayList<>();
                List<Double> floors = new ArrayList<>();
                for (int round = 0; round < UploadBenchmark.ROUNDS; round++) {
                    Path floorTarget = harness.work.resolve("durable-floor.bin");
                    floors.add(durableFloor(file, floorTarget, chunk));
                    Files.delete(floorTarget);
                    // who goes first rotates: on this VM the first writer of fresh memory pays for it
                    for (int turn = 0; turn < 3; turn++) {
                        int who = (round + turn) % 3;
                        if (who == 2) {
                            durable.add(upload(node, durableReference, "-", file, chunk, "durable-" + chunk + "-" + round));
                            continue;
                        }
                        if (who == 0) {
                            double cpu0 = UploadBenchmark.cpuSeconds(service.process().pid());
                            ours.add(upload(node, clipflow, harness.jwt.user(user), file, chunk, "tus-" + chunk + "-" + round));
                            cpu.add((UploadBenchmark.cpuSeconds(service.process().pid()) - cpu0) / gib);
                        } else {
                            double referenceCpu0 = UploadBenchmark.cpuSeconds(reference.pid());
                            theirs.add(upload(node, tusd, "-", file, chunk, "ref-" + chunk + "-" + round));
                            referenceCpu.add((UploadBenchmark.cpuSeconds(reference.pid()) - referenceCpu0) / gib);
                        }
                    }
                    dev.clipflow.testinfra.files.Folders.deleteTree(harness.blobs().resolve("originals"));
                    dev.clipflow.testinfra.files.Folders.deleteTree(referenceFiles);
                    Files.createDirectories(referenceFiles.resolve("durable"));
                }
                double mine = UploadBenchmark.median(ours);
                double ref = UploadBenchmark.median(theirs);
                String mib = chunk % UploadBenchmark.MIB == 0 ? String.valueOf(chunk / UploadBenchmark.MIB)
                        : String.valueOf(chunk / 1024) + "kib";
                System.out.printf("tus %s MiB chunks through the gateway, %.0f MiB: Clipflow %6.2f s (%6.1f MiB/s; %s), "
                        + "@tus/server %s %6.2f s (%6.1f MiB/s; %s) -> %.2fx (target >= 1.0x); CPU per GiB: Clipflow %.2f s, @tus/server %.2f s%n",
                        mib, size / 1048576.0, mine, size / 1048576.0 / mine, UploadBenchmark.seconds(ours),
                        SERVER_VERSION, ref, size / 1048576.0 / ref, UploadBenchmark.seconds(theirs), ref / mine,
                        UploadBenchmark.median(cpu), UploadBenchmark.median(referenceCpu));
                double durableRef = UploadBenchmark.median(durable);
                System.out.printf("    @tus/server with an fdatasync of each PATCH before its answer (the durability Clipflow gives): "
                        + "%6.2f s (%6.1f MiB/s; %s) = %.2fx of plain @tus/server; Clipflow / it: %.2fx%n", durableRef,
                        size / 1048576.0 / durableRef, UploadBenchmark.seconds(durable), ref / durableRef, durableRef / mine);
                results.put("upload.tus_reference_durable_" + mib + "mib_mibs", size / 1048576.0 / durableRef);
                results.put("upload.tus_ratio_durable_" + mib + "mib", durableRef / mine);
                double floor = UploadBenchmark.median(floors);
                System.out.printf("    durable floor at %s MiB (the file written in %s MiB steps by upload staging itself: direct I/O, 4 writes in "
                        + "flight, flushes behind them, one fdatasync per step as each acknowledged chunk needs; no network, no hashing): %6.2f s (%6.1f MiB/s; %s); "
                        + "Clipflow %.2fx of it, @tus/server (no fsync) %.2fx of it%n", mib, mib, floor,
                        size / 1048576.0 / floor, UploadBenchmark.seconds(floors), floor / mine, floor / ref);
                results.put("upload.tus_durable_floor_" + mib + "mib_mibs", size / 1048576.0 / floor);
                results.put("upload.tus_" + mib + "mib_mibs", size / 1048576.0 / mine);
                results.put("upload.tus_reference_" + mib + "mib_mibs", size / 1048576.0 / ref);
                results.put("upload.tus_ratio_" + mib + "mib", ref / mine);
                results.put("upload.tus_cpu_s_per_gib_" + mib + "mib", UploadBenchmark.median(cpu));
                results.put("upload.tus_reference_cpu_s_per_gib_" + mib + "mib", UploadBenchmark.median(referenceCpu));
            }
        } finally {
            gateway.destroy();
            reference.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
            reference.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The least a server acknowledging only durable chunks spends on the disk, in seconds: {@code source} (in the page
     * cache) written to {@code target} in steps of {@code chunk} bytes by upload staging itself
     * ({@link LocalUploadStaging} with the service's defaults: direct I/O in 512 KiB pieces, four in flight, flushes
     * running behind the writes and one fdatasync at each step's end), the next step only after it (a tus client sends
     * the next PATCH only once the last was acknowledged): a PATCH without network, HTTP, hashing or database. On a disk
     * whose cache flush is slow this alone can be slower than a server that writes into the page cache and never
     * flushes. Where the file system refuses direct I/O (tmpfs before Linux 6.6, where a fresh machine may keep its
     * temp folder) staging writes through the page cache, here as in the service.
     */
    static double durableFloor(Path source, Path target, long chunk) throws IOException {
        Path root = target.resolveSibling(target.getFileName() + ".store");
        LocalUploadStaging staging = new LocalUploadStaging(new LocalBlobStore(root), true, true, 4,
                LocalUploadStaging.DEFAULT_FLUSH_BEHIND);
        UUID id = UUID.randomUUID();
        long size = Files.size(source);
        long t0 = System.nanoTime();
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(source)) {
            java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(256 * 1024); // as a request body's blocks
            int index = 0;
            for (long position = 0; position < size; position += chunk, index++) {
                long end = Math.min(size, position + chunk);
                long[] at = {position};
                staging.writeChunk(id, index, position, () -> {
                    if (at[0] >= end) {
                        return null;
                    }
                    block.clear().limit((int) Math.min(block.capacity(), end - at[0]));
                    while (block.hasRemaining() && in.read(block, at[0] + block.position()) > 0) {
                        // fill the block
                    }
                    at[0] += block.flip().remaining();
                    return block;
                }, end - position);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.move(staging.file(id), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        return seconds;
    }

    /** One upload with tus-js-client through the gateway; seconds from start to the last acknowledged PATCH. */
    static double upload(Path node, String endpoint, String token, Path file, long chunk, String name) throws Exception {
        Process client = new ProcessBuilder("node", node.resolve("bench-upload.js").toString(), endpoint, token,
                file.toString(), String.valueOf(chunk), name + ".mp4").directory(node.toFile())
                .redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(10, TimeUnit.MINUTES) || client.exitValue() != 0) {
            throw new IllegalStateException("tus upload to " + endpoint + " failed: " + output);
        }
        return Double.parseDouble(output.lines().filter(l -> l.startsWith("ELAPSED ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(output)).substring(8).trim());
    }

    /** nginx with the gateway's proxy settings: /api/ to the service, /files/ to the reference server. */
    static Process startNginx(Path dir, int port, int servicePort, int referencePort) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  client_max_body_size 0;
                  proxy_http_version 1.1;
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_set_header X-Forwarded-Host $http_host;
                  proxy_set_header Connection "";
                  proxy_request_buffering off;
                  proxy_buffering off;
                  proxy_read_timeout 3600s;
                  proxy_send_timeout 3600s;
                  server {
                    listen 127.0.0.1:%2$d;
                    location /api/ { proxy_pass http://127.0.0.1:%3$d; }
                    location /files/ { proxy_pass http://127.0.0.1:%4$d; }
                    location /durable/ { proxy_pass http://127.0.0.1:%4$d; }
                  }
                }
                """.formatted(dir, port, servicePort, referencePort);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        return new ProcessBuilder(nginx, "-c", file.toString(), "-p", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
    }

    /** tus-js-client and @tus/server (+ file store) from npm under {@code dir}, with this benchmark's two scripts. */
    static Path install(Path dir) throws Exception {
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir.resolve("node_modules/@tus/server"))) {
            Process npm = new ProcessBuilder("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                    "tus-js-client@" + CLIENT_VERSION, "@tus/server@" + SERVER_VERSION, "@tus/file-store@2")
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install failed: " + output);
            }
        }
        for (String script : List.of("reference-server.js", "bench-upload.js")) {
            Files.copy(Path.of("src/test/resources/tus", script), dir.resolve(script),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private static void await(int port) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }
}
