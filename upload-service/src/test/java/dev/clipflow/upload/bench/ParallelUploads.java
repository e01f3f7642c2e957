package dev.clipflow.upload.bench;

import dev.clipflow.testinfra.files.Folders;
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
 * Parallel uploads through the gateway (nginx with the gateway's proxy settings, as in
 * {@link TusComparison}), all with the stock tus-js-client in Node and 64 MiB chunks, medians of
 * {@code bench.rounds}:
 * <ul>
 *   <li>{@code upload.tus_concat4_64mib_mibs}: one file with {@code parallelUploads: 4} (tus
 *   Concatenation: 4 partial uploads at once, then the final upload, whose answer ends the time);
 *   the same against {@code @tus/server} when it supports concatenation ({@code upload.tus_concat4_ratio});</li>
 *   <li>{@code upload.parallel4_mibs}: 4 independent clients each uploading the file at once (aggregate:
 *   4 files / the slowest client's time), and {@code upload.parallel4_scaling}: that / one client alone
 *   ({@code upload.parallel1_mibs}), measured in the same rounds; {@code upload.tus_concat4_ratio}: the
 *   {@code parallelUploads: 4} rate / one client alone;</li>
 *   <li>the ceiling of any such scaling on this machine: clients, nginx and the service share its cores, so
 *   with one upload keeping the machine {@code upload.parallel_busy_one} busy (all processes,
 *   {@code /proc/stat}), 4 uploads can go at most 1 / busy times as fast; and every acknowledged chunk is
 *   flushed to one disk, so they can go at most as fast as 4 writers writing the file in 64 MiB steps with an
 *   fdatasync each, all at once, through upload staging ({@link TusComparison#durableFloor}) ({@code upload.parallel4_durable_floor_mibs}; / one client:
 *   {@code upload.parallel_disk_ceiling}); {@code upload.parallel_ceiling} = min(4, 1 / busy, disk ceiling),
 *   {@code upload.parallel4_of_ceiling} the share of it reached, {@code upload.parallel4_of_disk_floor} the 4
 *   clients' rate / the 4 writers'; and the same scaling of the
 *   reference server {@code @tus/server} ({@code upload.parallel4_reference_scaling}).</li>
 * </ul>
 * Each client's time runs from its first request to its success (tus-js-client's {@code onSuccess}); the clients
 * first read the file, then all start at the same moment, and the machine's and the service's CPU are measured from
 * there (the clients' start-up and read of the file are none of the uploads' cost).
 */
final class ParallelUploads {

    static final long CHUNK = 64 * UploadBenchmark.MIB;

    private ParallelUploads() {
    }

    /** MiB/s of SHA-256 here, with the digest the service keeps (Bouncy Castle's, native where it can be), 768 MiB. */
    static double sha256Rate() {
        byte[] block = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(block);
        org.bouncycastle.crypto.digests.SHA256Digest.newInstance().update(block, 0, block.length); // loaded, warm
        var digest = org.bouncycastle.crypto.digests.SHA256Digest.newInstance();
        long started = System.nanoTime();
        for (int i = 0; i < 768 * 4; i++) {
            digest.update(block, 0, block.length);
        }
        digest.doFinal(new byte[32], 0);
        return 768 / ((System.nanoTime() - started) / 1e9);
    }

    static void run(ServiceHarness harness, PackagedService service, Path file, Map<String, Double> results)
            throws Exception {
        Path node = TusComparison.install(Path.of("target", "tus-bench").toAbsolutePath());
        Path referenceFiles = Files.createDirectories(harness.work.resolve("tus-reference-parallel"));
        int referencePort = Ports.free();
        int gatewayPort = Ports.free();
        Process reference = new ProcessBuilder("node", node.resolve("reference-server.js").toString(),
                String.valueOf(referencePort), referenceFiles.toString()).redirectErrorStream(true)
                .redirectOutput(harness.work.resolve("tus-reference-parallel.log").toFile()).directory(node.toFile())
                .start();
        Process gateway = TusComparison.startNginx(Files.createDirectories(harness.work.resolve("gateway-parallel")),
                gatewayPort, service.port(), referencePort);
        try {
            await(referencePort);
            await(gatewayPort);
            UUID user = UUID.randomUUID();
            harness.quota.limit(user, 1L << 42);
            String token = harness.jwt.user(user);
            String clipflow = "http://127.0.0.1:" + gatewayPort + "/api/tus/";
            String tusd = "http://127.0.0.1:" + gatewayPort + "/files/";
            double mib = Files.size(file) / 1048576.0;
            boolean referenceConcat = supported(node, tusd, file);
            List<Double> concat = new ArrayList<>();
            List<Double> referenceTimes = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            List<Double> four = new ArrayList<>();
            List<Double> busyOne = new ArrayList<>();
            List<Double> busyFour = new ArrayList<>();
            List<Double> serviceCpuOne = new ArrayList<>();
            List<Double> serviceCpuFour = new ArrayList<>();
            List<Double> referenceOne = new ArrayList<>();
            List<Double> referenceFour = new ArrayList<>();
            List<Double> diskOne = new ArrayList<>();
            List<Double> diskFour = new ArrayList<>();
            Path floors = Files.createDirectories(harness.work.resolve("parallel-durable-floor"));
            for (int round = 0; round < UploadBenchmark.ROUNDS; round++) {
                // the disk alone, as acknowledged chunks must be written: one writer, then four at once
                diskOne.add(TusComparison.durableFloor(file, floors.resolve("one"), CHUNK));
                diskFour.add(durableFloors(file, floors, 4));
                Folders.deleteTree(floors);
                Files.createDirectories(floors);
                concat.add(times(node, clipflow, token, file, 1, 4, "concat-" + round).get(0));
                if (referenceConcat) {
                    referenceTimes.add(times(node, tusd, "-", file, 1, 4, "ref-concat-" + round).get(0));
                }
                clean(harness, referenceFiles);
                // the machine and the service measured from the moment the clients, having read the file, start uploading
                long pid = service.process().pid();
                Snapshot startOne = new Snapshot(pid);
                one.add(times(node, clipflow, token, file, 1, 1, "one-" + round, startOne::take).get(0));
                busyOne.add(busy(startOne.machine, machineCpu()));
                serviceCpuOne.add((UploadBenchmark.cpuSeconds(pid) - startOne.service) / (mib / 1024));
                clean(harness, referenceFiles);
                Snapshot startFour = new Snapshot(pid);
                four.add(times(node, clipflow, token, file, 4, 1, "four-" + round, startFour::take).stream()
                        .mapToDouble(Double::doubleValue).max().orElseThrow());
                busyFour.add(busy(startFour.machine, machineCpu()));
                serviceCpuFour.add((UploadBenchmark.cpuSeconds(pid) - startFour.service) / (4 * mib / 1024));
                clean(harness, referenceFiles);
                // the same two with the reference server: how far 4 uploads scale on this machine for a peer
                referenceOne.add(times(node, tusd, "-", file, 1, 1, "ref-one-" + round).get(0));
                clean(harness, referenceFiles);
                referenceFour.add(times(node, tusd, "-", file, 4, 1, "ref-four-" + round).stream()
                        .mapToDouble(Double::doubleValue).max().orElseThrow());
                clean(harness, referenceFiles);
            }
            double concatRate = mib / UploadBenchmark.median(concat);
            double oneRate = mib / UploadBenchmark.median(one);
            double fourRate = 4 * mib / UploadBenchmark.median(four);
            double referenceScaling = UploadBenchmark.median(referenceOne) * 4 / UploadBenchmark.median(referenceFour);
            // clients, nginx and the service share the cores: one upload alone keeps the machine this busy
            // (all processes, /proc/stat), so 4 uploads can go at most 1/busy times as fast, whatever the service does
            double busy = UploadBenchmark.median(busyOne);
            // and every acknowledged chunk is flushed to the one disk: 4 uploads can go at most as fast as 4 writers
            // writing and flushing in chunk steps at once, with no network, HTTP or hashing
            double diskFourRate = 4 * mib / UploadBenchmark.median(diskFour);
            double diskCeiling = diskFourRate / oneRate;
            double ceiling = Math.min(4, Math.min(1 / busy, diskCeiling));
            System.out.printf("tus parallelUploads 4, 64 MiB chunks, %.0f MiB through the gateway: Clipflow %6.1f MiB/s (%s)%s%n",
                    mib, concatRate, UploadBenchmark.seconds(concat), referenceConcat
                            ? String.format(", @tus/server %6.1f MiB/s (%s) -> %.2fx", mib / UploadBenchmark.median(referenceTimes),
                                    UploadBenchmark.seconds(referenceTimes),
                                    UploadBenchmark.median(referenceTimes) / UploadBenchmark.median(concat))
                            : "; @tus/server " + TusComparison.SERVER_VERSION + " refuses Upload-Concat (no reference)");
            System.out.printf("4 independent tus clients at once (%.0f MiB each): %6.1f MiB/s aggregate (slowest %s); "
                    + "one client alone %6.1f MiB/s (%s) -> scaling %.2fx on %d cores; parallelUploads 4 / one client %.2fx%n",
                    mib, fourRate, UploadBenchmark.seconds(four), oneRate, UploadBenchmark.seconds(one), fourRate / oneRate,
                    Runtime.getRuntime().availableProcessors(), concatRate / oneRate);
            System.out.printf("   machine busy during one upload alone (client, nginx, service, all processes): %.0f %% "
                    + "-> CPU ceiling %.2fx; the disk's durable floor (1 GiB in 64 MiB steps by upload staging, direct I/O, an fdatasync each): "
                    + "one writer %6.1f MiB/s (%s), four at once %6.1f MiB/s aggregate (%s) -> disk ceiling %.2fx of one "
                    + "client; ceiling of any scaling here %.2fx; Clipflow's 4 uploads reach %.0f %% of it; @tus/server's "
                    + "scale %.2fx (one %s, four %s; it flushes nothing)%n", 100 * busy, 1 / busy,
                    mib / UploadBenchmark.median(diskOne), UploadBenchmark.seconds(diskOne), diskFourRate,
                    UploadBenchmark.seconds(diskFour), diskCeiling, ceiling, 100 * fourRate / oneRate / ceiling,
                    referenceScaling, UploadBenchmark.seconds(referenceOne), UploadBenchmark.seconds(referenceFour));
            // what the 4 uploads cost where the CPU ceiling assumes they cost what one does: how busy the machine was
            // while they ran, and the service's CPU per GiB alone and with the 4
            // and the CPU ceiling with what the clients, nginx and the kernel cost per GiB when 4 uploads share the cores
            // (the rest of the machine's CPU in the same rounds), the service costing only what it does for one upload
            int cores = Runtime.getRuntime().availableProcessors();
            double gib4 = 4 * mib / 1024;
            double othersFour = UploadBenchmark.median(busyFour) * cores * UploadBenchmark.median(four) / gib4
                    - UploadBenchmark.median(serviceCpuFour);
            double sharedCeiling = cores / (othersFour + UploadBenchmark.median(serviceCpuOne)) * 1024 / oneRate;
            System.out.printf("   machine busy during the 4 uploads: %.0f %%; service CPU per GiB: %.2f s with one upload, %.2f s "
                    + "with 4 at once; the rest of the machine (clients, nginx, kernel) %.2f core-s per GiB with 4 -> CPU ceiling "
                    + "with that and the service at its one-upload cost %.2fx of one client; Clipflow's 4 uploads reach %.0f %% of it%n",
                    100 * UploadBenchmark.median(busyFour), UploadBenchmark.median(serviceCpuOne),
                    UploadBenchmark.median(serviceCpuFour), othersFour, sharedCeiling, 100 * fourRate / oneRate / sharedCeiling);
            results.put("upload.parallel_shared_cpu_ceiling", sharedCeiling);
            results.put("upload.parallel4_of_shared_cpu_ceiling", fourRate / oneRate / sharedCeiling);
            results.put("upload.parallel_busy_four", UploadBenchmark.median(busyFour));
            results.put("upload.parallel1_service_cpu_s_per_gib", UploadBenchmark.median(serviceCpuOne));
            results.put("upload.parallel4_service_cpu_s_per_gib", UploadBenchmark.median(serviceCpuFour));
            // the floor of parallelUploads here: its 4 partial uploads can go no faster than 4 independent clients (the
            // same aggregate rate), and the whole-file SHA-256 that the answer waits for cannot start on part 2 before
            // part 1 has arrived whole: 3/4 of the file is hashed after the last byte, at this machine's SHA-256 rate
            double shaRate = sha256Rate();
            double floor = mib / fourRate + mib * 3 / 4 / shaRate;
            System.out.printf("   parallelUploads 4 floor here: 1 GiB at the 4 clients' aggregate rate (%.2f s) + SHA-256 of 3/4 of it "
                    + "after the last byte (%.0f MiB/s: %.2f s) = %.2f s -> at best %.2fx of one client; Clipflow takes %.2f s, "
                    + "%.0f %% of the floor's speed%n", mib / fourRate, shaRate, mib * 3 / 4 / shaRate, floor,
                    UploadBenchmark.median(one) / floor, UploadBenchmark.median(concat),
                    100 * floor / UploadBenchmark.median(concat));
            results.put("upload.sha256_mibs", shaRate);
            results.put("upload.tus_concat4_floor_ratio", UploadBenchmark.median(one) / floor);
            results.put("upload.tus_concat4_of_floor", floor / UploadBenchmark.median(concat));
            results.put("upload.tus_concat4_64mib_mibs", concatRate);
            results.put("upload.tus_concat4_ratio", concatRate / oneRate);
            if (referenceConcat) {
                results.put("upload.tus_reference_concat4_64mib_mibs", mib / UploadBenchmark.median(referenceTimes));
            }
            results.put("upload.parallel1_mibs", oneRate);
            results.put("upload.parallel4_mibs", fourRate);
            results.put("upload.parallel4_scaling", fourRate / oneRate);
            results.put("upload.parallel_busy_one", busy);
            results.put("upload.parallel4_durable_floor_mibs", diskFourRate);
            results.put("upload.parallel_disk_ceiling", diskCeiling);
            results.put("upload.parallel4_of_disk_floor", fourRate / diskFourRate);
            results.put("upload.parallel_ceiling", ceiling);
            results.put("upload.parallel4_of_ceiling", fourRate / oneRate / ceiling);
            results.put("upload.parallel4_reference_scaling", referenceScaling);
        } finally {
            gateway.destroy();
            reference.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
            reference.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Seconds until the last of {@code writers} durable floors at once ({@link TusComparison#durableFloor}) is done. */
    private static double durableFloors(Path file, Path dir, int writers) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<Double>> runs = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Path target = dir.resolve("four-" + i);
                runs.add(pool.submit(() -> TusComparison.durableFloor(file, target, CHUNK)));
            }
            double slowest = 0;
            for (var run : runs) {
                slowest = Math.max(slowest, run.get());
            }
            return slowest;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The machine's CPU time so far from {@code /proc/stat}: {idle + iowait, total}, in ticks. */
    static long[] machineCpu() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(fields.length, 9); i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(fields[i]);
        }
        return new long[] {Long.parseLong(fields[4]) + Long.parseLong(fields[5]), total};
    }

    /** The share of the machine's cores that were busy between two {@link #machineCpu} readings. */
    static double busy(long[] before, long[] after) {
        double total = after[1] - before[1];
        return total <= 0 ? 1 : 1 - (after[0] - before[0]) / total;
    }

    /** Whether the reference server takes tus-js-client's parallel uploads (Upload-Concat). */
    private static boolean supported(Path node, String endpoint, Path file) {
        try {
            times(node, endpoint, "-", file, 1, 4, "ref-concat-probe");
            return true;
        } catch (Exception e) {
            System.out.println("@tus/server with parallelUploads 4: " + e.getMessage().lines().findFirst().orElse(""));
            return false;
        }
    }

    private static void clean(ServiceHarness harness, Path referenceFiles) throws IOException {
        Folders.deleteTree(harness.blobs().resolve("originals"));
        Folders.deleteTree(referenceFiles);
        Files.createDirectories(referenceFiles);
    }

    /** {@code clients} tus-js-client processes at once, each uploading {@code file}; each one's seconds. */
    static List<Double> times(Path node, String endpoint, String token, Path file, int clients, int parallel,
            String name) throws Exception {
        return times(node, endpoint, token, file, clients, parallel, name, () -> { });
    }

    /**
     * {@code clients} tus-js-client processes, each uploading {@code file}, all started at the same moment once each has
     * read the file (its start-up and read are no part of what is measured); {@code atStart} runs right before; each
     * one's seconds.
     */
    static List<Double> times(Path node, String endpoint, String token, Path file, int clients, int parallel,
            String name, Runnable atStart) throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                ProcessBuilder builder = new ProcessBuilder("node", node.resolve("bench-upload.js").toString(), endpoint,
                        token, file.toString(), String.valueOf(CHUNK), name + "-" + i + ".mp4", String.valueOf(parallel))
                        .directory(node.toFile()).redirectErrorStream(true);
                builder.environment().put("BENCH_WAIT_FOR_GO", "1");
                processes.add(builder.start());
            }
            List<java.io.BufferedReader> outputs = new ArrayList<>();
            for (Process process : processes) {
                var output = process.inputReader(StandardCharsets.UTF_8);
                String line = output.readLine();
                if (!"READY".equals(line)) {
                    throw new IllegalStateException("tus client for " + endpoint + " did not start: " + line);
                }
                outputs.add(output);
            }
            atStart.run();
            for (Process process : processes) {
                process.getOutputStream().write('\n');
                process.getOutputStream().flush();
            }
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                String output = outputs.get(i).lines().collect(java.util.stream.Collectors.joining("\n"));
                if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    throw new IllegalStateException("tus upload to " + endpoint + " failed: " + output);
                }
                seconds.add(Double.parseDouble(output.lines().filter(l -> l.startsWith("ELAPSED ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(output)).substring(8).trim()));
            }
            return seconds;
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    /** The machine's and the service's CPU time when {@link #take} ran. */
    private static final class Snapshot {
        private final long pid;
        long[] machine;
        double service;

        Snapshot(long pid) {
            this.pid = pid;
        }

        void take() {
            try {
                machine = machineCpu();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            service = UploadBenchmark.cpuSeconds(pid);
        }
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
