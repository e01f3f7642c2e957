package dev.clipflow.system;

import dev.clipflow.testinfra.bench.BenchResults;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory of the whole local stack (every process {@code ./clipflow up} starts, with their children):
 * at rest, and while four users each upload a 256 MiB video at the same time through the gateway
 * (16 MiB chunks, two in flight per upload), followed by their probes and transcodes. Prints
 * figures and asserts only that the uploads worked. Run by {@code ./clipflow bench}, or alone:
 * <pre>./mvnw -B -pl system-tests verify -Dclipflow.bench=true -Dtest=StackLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * RSS counts shared pages once per process; PSS (from {@code /proc/<pid>/smaps_rollup}) splits
 * them, so the PSS total is what the stack really takes from the machine.
 */
@ExtendWith(Stack.class)
@EnabledIfSystemProperty(named = "clipflow.bench", matches = "true")
class StackLoadBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long FILE_SIZE = 256 * MIB;
    private static final int CHUNK = (int) (16 * MIB);
    private static final int UPLOADS = 4;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void memoryAtRestAndUnderFourUploads() throws Exception {
        Path work = Files.createTempDirectory("clipflow-stack-bench");
        Path file = paddedVideo(work.resolve("load.mp4"), work);
        Users.User admin = Users.admin();
        List<Users.User> users = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            Users.User user = Users.signUp("Load " + i);
            given().auth().oauth2(admin.accessToken()).contentType("application/json")
                    .body(Map.of("storageLimitBytes", 64L * 1024 * MIB, "bandwidthLimitBytes", 1024L * 1024 * MIB))
                    .put(Videos.url("/api/admin/quota/" + user.id()))
                    .then().statusCode(200);
            users.add(user);
        }
        System.out.printf("%nClipflow stack memory: %d processes, %d uploads of %d MiB at a time, %d rounds%n",
                processes().size(), UPLOADS, FILE_SIZE / MIB, ROUNDS);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                Thread.sleep(5_000); // let the previous round's transcodes and GCs settle
                Memory rest = Memory.sample(processes());
                System.out.printf("round %d at rest:   RSS %5d MB  PSS %5d MB   %s%n", round, rest.rssMb(), rest.pssMb(),
                        rest.perProcess());
                BenchResults.record("stack.rest_rss_mb", rest.rssMb());
                BenchResults.record("stack.rest_pss_mb", rest.pssMb());

                Peak peak = new Peak();
                AtomicBoolean loading = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (loading.get()) {
                        peak.offer(Memory.sample(processes()));
                        sleep(250);
                    }
                }, "rss-sampler");
                sampler.start();
                long t0 = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
                List<Future<UUID>> uploads = new ArrayList<>();
                for (Users.User user : users) {
                    uploads.add(pool.submit(() -> upload(user, file)));
                }
                List<UUID> videos = new ArrayList<>();
                for (Future<UUID> upload : uploads) {
                    videos.add(upload.get());
                }
                double uploadSeconds = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                for (int i = 0; i < videos.size(); i++) {
                    Videos.awaitReady(users.get(i), videos.get(i));
                }
                double readySeconds = (System.nanoTime() - t0) / 1e9;
                loading.set(false);
                sampler.join();
                double mibs = UPLOADS * FILE_SIZE / (double) MIB / uploadSeconds;
                System.out.printf("round %d under load: peak RSS %5d MB  peak PSS %5d MB; %d x %d MiB uploaded in %.1f s"
                                + " (%.0f MiB/s through the gateway), all READY after %.1f s%n",
                        round, peak.rss.rssMb(), peak.pss.pssMb(), UPLOADS, FILE_SIZE / MIB, uploadSeconds, mibs, readySeconds);
                System.out.printf("  at the PSS peak: %s%n", peak.pss.perProcess());
                BenchResults.record("stack.load_peak_rss_mb", peak.rss.rssMb());
                BenchResults.record("stack.load_peak_pss_mb", peak.pss.pssMb());
                BenchResults.record("stack.load_upload_mibs", mibs);
                for (int i = 0; i < videos.size(); i++) {
                    given().auth().oauth2(users.get(i).accessToken()).delete(Videos.url("/api/videos/" + videos.get(i)))
                            .then().statusCode(204);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(work);
        }
    }

    /** A chunked upload streamed from the file, two chunks in flight; returns the video id. */
    private UUID upload(Users.User user, Path file) throws Exception {
        JsonPath session = given().auth().oauth2(user.accessToken()).contentType("application/json")
                .body(Map.of("fileName", Videos.unique() + ".mp4", "size", FILE_SIZE, "chunkSize", CHUNK,
                        "title", "load", "contentType", "video/mp4"))
                .post(Videos.url("/api/uploads"))
                .then().statusCode(201).extract().jsonPath();
        String uploadId = session.getString("uploadId");
        int total = session.getInt("totalChunks");
        ExecutorService inFlight = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int index = 0; index < total; index++) {
                long from = (long) index * CHUNK;
                long length = Math.min(CHUNK, FILE_SIZE - from);
                int chunk = index;
                sent.add(inFlight.submit(() -> http.send(HttpRequest.newBuilder(
                                URI.create(Videos.url("/api/uploads/" + uploadId + "/chunks/" + chunk)))
                        .header("Authorization", "Bearer " + user.accessToken())
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(slice(file, from, (int) length)))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> status : sent) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            inFlight.shutdown();
        }
        return UUID.fromString(given().auth().oauth2(user.accessToken())
                .post(Videos.url("/api/uploads/" + uploadId + "/complete"))
                .then().statusCode(202).extract().jsonPath().getString("videoId"));
    }

    /** One chunk of the file (16 MiB; two in flight per upload, so the test JVM holds 128 MiB at most). */
    private static byte[] slice(Path file, long from, int length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer chunk = ByteBuffer.allocate(length);
            while (chunk.hasRemaining() && channel.read(chunk, from + chunk.position()) > 0) {
                // positional reads until the chunk is full
            }
            return chunk.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real 2 s MP4 (so probe and transcode run for real, quickly) followed by a 'free' box up to 256 MiB. */
    private static Path paddedVideo(Path target, Path work) throws IOException {
        byte[] mp4 = Files.readAllBytes(Media.clip(work, "head.mp4", 640, 360, 2));
        ByteBuffer header = ByteBuffer.allocate(16).putInt(1).put("free".getBytes()).putLong(FILE_SIZE - mp4.length);
        byte[] block = new byte[(int) MIB];
        new Random(7).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(mp4);
            out.write(header.array());
            long left = FILE_SIZE - mp4.length - 16;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        Files.delete(work.resolve("head.mp4"));
        return target;
    }

    /** Every process of the stack: the pids ./clipflow recorded, with their descendants (postmaster, nginx workers). */
    private static Map<String, List<ProcessHandle>> processes() {
        Map<String, List<ProcessHandle>> all = new LinkedHashMap<>();
        try (var pidFiles = Files.list(Stack.get().home().resolve("run"))) {
            for (Path pidFile : pidFiles.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                String name = pidFile.getFileName().toString().replace(".pid", "");
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(root -> {
                    List<ProcessHandle> tree = new ArrayList<>(List.of(root));
                    root.descendants().forEach(tree::add);
                    all.put(name, tree);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Memory(long rssKb, long pssKb, Map<String, Long> pssKbByProcess) {

        static Memory sample(Map<String, List<ProcessHandle>> processes) {
            long rss = 0;
            long pss = 0;
            Map<String, Long> byProcess = new LinkedHashMap<>();
            for (var entry : processes.entrySet()) {
                long processPss = 0;
                for (ProcessHandle handle : entry.getValue()) {
                    long[] figures = rollup(handle.pid());
                    rss += figures[0];
                    processPss += figures[1];
                }
                pss += processPss;
                byProcess.put(entry.getKey(), processPss);
            }
            return new Memory(rss, pss, byProcess);
        }

        /** Rss and Pss in kB of one process; zeros when it has gone. */
        private static long[] rollup(long pid) {
            long[] figures = new long[2];
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                    if (line.startsWith("Rss:")) {
                        figures[0] = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("Pss:")) {
                        figures[1] = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
            return figures;
        }

        long rssMb() {
            return rssKb / 1024;
        }

        long pssMb() {
            return pssKb / 1024;
        }

        String perProcess() {
            StringBuilder text = new StringBuilder("PSS MB:");
            pssKbByProcess.forEach((name, kb) -> text.append(' ').append(name).append(' ').append(kb / 1024));
            return text.toString();
        }
    }

    private static final class Peak {
        Memory rss = new Memory(0, 0, Map.of());
        Memory pss = new Memory(0, 0, Map.of());

        synchronized void offer(Memory sample) {
            if (sample.rssKb() > rss.rssKb()) {
                rss = sample;
            }
            if (sample.pssKb() > pss.pssKb()) {
                pss = sample;
            }
        }
    }
}
