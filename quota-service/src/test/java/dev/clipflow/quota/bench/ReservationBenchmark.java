package dev.clipflow.quota.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.config.QuotaConfig;
import dev.clipflow.quota.reservation.service.Reservation;
import dev.clipflow.quota.reservation.service.ReservationService;
import dev.clipflow.testinfra.bench.BenchResults;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.Mongo;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Ports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Reservations per second with 64 concurrent clients against the real MongoDB-wire server
 * (mongo-java-server, in memory, over TCP with the real MongoDB driver):
 * <ol>
 *   <li>through {@link ReservationService} itself (the code the REST endpoint calls);</li>
 *   <li>one user, all clients racing against its limit (the contended case);</li>
 *   <li>with {@code --http}: over HTTP against the packaged service
 *       ({@code quota-service/target/quarkus-app/quarkus-run.jar}) with a service token.</li>
 * </ol>
 * Not a test: run it by hand (docs/benchmarks-quota.md) and read the figures.
 * Options: {@code --users N} (default 1000), {@code --count N} reservations per phase (default 20000),
 * {@code --threads N} (default 64), {@code --http}.
 */
public final class ReservationBenchmark {

    private static final long BYTES = 1000;

    private ReservationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Outside Quarkus nothing configures logging: without this the MongoDB driver logs (and
        // renders as JSON) every command at DEBUG, which costs more than the command itself.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        org.jboss.logmanager.LogContext.getLogContext().getLogger("").setLevel(java.util.logging.Level.WARNING);
        int users = intArg(args, "--users", 1000);
        int count = intArg(args, "--count", 20_000);
        int threads = intArg(args, "--threads", 64);
        boolean http = Arrays.asList(args).contains("--http");
        System.out.printf("quota reservation benchmark: %d clients, %d reservations per phase, %d users, %d cores%n",
                threads, count, users, Runtime.getRuntime().availableProcessors());
        try (Mongo mongo = Mongo.inMemory(0); MongoClient client = MongoClients.create(mongo.connectionString())) {
            ReservationService service = service(client.getDatabase("quota"));
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                ids.add(UUID.randomUUID());
            }
            run("warm-up (service)", threads, count / 4, i -> reserve(service, ids.get(i % users), BYTES));
            Result spread = run("service, " + users + " users", threads, count, i -> reserve(service, ids.get(i % users), BYTES));
            BenchResults.record("quota.service_ops_s", spread.opsPerSecond());
            BenchResults.record("quota.service_p99_ms", spread.p99Millis());
            // All clients on one user: 100 kB reservations, the 50 MB default limit fits exactly 524.
            UUID single = UUID.randomUUID();
            long bytes = 100_000;
            long fits = 52_428_800 / bytes;
            Result contended = run("service, 1 user racing to its limit", threads, (int) (fits * 4),
                    i -> reserve(service, single, bytes));
            System.out.printf("  contended: %d granted, limit fits exactly %d%n", contended.ok(), fits);
            BenchResults.record("quota.contended_ops_s", contended.opsPerSecond());
            BenchResults.record("quota.contended_over_limit", contended.ok() - fits);
            if (http) {
                httpPhase(mongo, threads, count, users);
            }
        }
        System.exit(0);
    }

    private static void httpPhase(Mongo mongo, int threads, int count, int users) throws Exception {
        Path jar = Path.of("quota-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            jar = Path.of("target/quarkus-app/quarkus-run.jar");
        }
        if (!Files.exists(jar)) {
            System.out.println("HTTP phase skipped: build the service first (./mvnw -pl quota-service -am verify)");
            return;
        }
        try (JwtIssuer issuer = JwtIssuer.start();
                PackagedService app = PackagedService.launcher("quota-service",
                                jar.toAbsolutePath().getParent().getParent().resolve("bench-quota-service.log"))
                        .jar(jar)
                        .jvmOptions(List.of("-Xmx512m"))
                        .property("quarkus.mongodb.connection-string", mongo.connectionString())
                        .property("quarkus.mongodb.database", "quota_http")
                        .property("mp.jwt.verify.publickey.location", issuer.jwksUrl())
                        .property("mp.jwt.verify.issuer", JwtIssuer.ISSUER)
                        .property("kafka.bootstrap.servers", "127.0.0.1:" + Ports.free())
                        .property("mp.messaging.incoming.video-deleted.enabled", false)
                        .property("mp.messaging.incoming.user-deleted.enabled", false)
                        .property("mp.messaging.incoming.usage-bandwidth.enabled", false)
                        .property("quarkus.log.level", "WARN")
                        .readyWhen("/q/health/live") // no broker here: readiness would wait for it
                        .start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1).build();
            String token = issuer.service("upload-service");
            URI reservations = URI.create(app.baseUrl() + "/internal/quota/reservations");
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                ids.add(UUID.randomUUID());
            }
            IntPredicate post = i -> {
                String body = "{\"reservationId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + ids.get(i % users)
                        + "\",\"bytes\":" + BYTES + ",\"videoId\":\"" + UUID.randomUUID()
                        + "\",\"fileName\":\"bench.mp4\"}";
                HttpRequest request = HttpRequest.newBuilder(reservations)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    return status == 201;
                } catch (Exception e) {
                    return false;
                }
            };
            run("warm-up (HTTP)", threads, count / 4, post);
            Result overHttp = run("HTTP POST /internal/quota/reservations, " + users + " users", threads, count, post);
            BenchResults.record("quota.http_ops_s", overHttp.opsPerSecond());
            BenchResults.record("quota.http_p99_ms", overHttp.p99Millis());
        }
    }

    private record Result(int ok, int total, double seconds, double p99Millis) {

        double opsPerSecond() {
            return total / seconds;
        }
    }

    private static Result run(String name, int threads, int total, IntPredicate op) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        long[] latencies = new long[total];
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    long t0 = System.nanoTime();
                    if (op.test(i)) {
                        ok.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        long begin = System.nanoTime();
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        System.out.printf("%-55s %7d ops in %6.2f s = %7.0f ops/s  (%d granted)  p50 %.1f ms  p99 %.1f ms%n",
                name, total, seconds, total / seconds, ok.get(), latencies[total / 2] / 1e6,
                latencies[(int) (total * 0.99)] / 1e6);
        return new Result(ok.get(), total, seconds, latencies[(int) (total * 0.99)] / 1e6);
    }

    private static boolean reserve(ReservationService service, UUID user, long bytes) {
        try {
            service.reserve(new Reservation(UUID.randomUUID(), user, bytes, UUID.randomUUID(), "bench.mp4", null));
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }

    private static ReservationService service(MongoDatabase database) {
        QuotaConfig config = new BenchConfig();
        QuotaRepository repository = new QuotaRepository(database, config, Clock.systemUTC());
        repository.createIndexes();
        AlertEvaluator alerts = new AlertEvaluator(repository, () -> {
        });
        return new ReservationService(repository, alerts, config);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** The defaults of {@link QuotaConfig}, without Quarkus. */
    private static final class BenchConfig implements QuotaConfig {

        @Override
        public long defaultStorageLimitBytes() {
            return 52_428_800;
        }

        @Override
        public long defaultBandwidthLimitBytes() {
            return 1L << 30;
        }

        @Override
        public Duration reservationTtl() {
            return Duration.ofHours(25);
        }

        @Override
        public Duration reservationMaxTtl() {
            return Duration.ofDays(7);
        }

        @Override
        public Duration processedEventsRetention() {
            return Duration.ofDays(30);
        }

        @Override
        public Duration sweepInterval() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Duration alertRelayInterval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public int processedEventsKept() {
            return 1000;
        }
    }
}
