package dev.clipflow.transcode.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.storage.local.LocalBlobStore;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Real PostgreSQL, Kafka and a JWKS issuer, plus packaged transcode-service processes
 * ({@code target/quarkus-app/quarkus-run.jar}) started against them: for the shutdown and crash
 * tests. Every process shares the database, the broker and the blob folder; each has its own
 * scratch folder unless told otherwise. Everything lives under one temp folder.
 */
final class WorkerProcesses implements AutoCloseable {

    final Path work;
    final Postgres postgres;
    final KafkaBroker kafka;
    final JwtIssuer jwt;
    final LocalBlobStore blobs;
    private final List<Worker> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    WorkerProcesses() throws IOException {
        work = Files.createTempDirectory("clipflow-transcode-workers");
        postgres = Postgres.start(work.resolve("pg"), Ports.free());
        kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(), work.resolve("kafka.log"));
        jwt = JwtIssuer.start();
        blobs = new LocalBlobStore(work.resolve("blobs"));
    }

    /** One service process. */
    record Worker(String name, Process process, String baseUrl, Path scratch, Path log) {

        /** SIGTERM (what Kubernetes sends first); returns the seconds until the process was gone. */
        double terminate(Duration atMost) throws InterruptedException {
            long started = System.nanoTime();
            process.destroy();
            if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + atMost + " of SIGTERM");
            }
            return (System.nanoTime() - started) / 1e9;
        }

        /** SIGKILL; returns the ffmpeg processes it had started that outlive it. */
        List<ProcessHandle> kill() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly().waitFor();
            return children.stream().filter(ProcessHandle::isAlive).toList();
        }

        /** Names of the job folders left in this worker's scratch folder. */
        List<String> scratchLeft() throws IOException {
            if (!Files.isDirectory(scratch)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(scratch)) {
                return files.map(p -> p.getFileName().toString()).toList();
            }
        }
    }

    /**
     * Starts a worker with the given shutdown grace and scratch folder, and waits until it is ready.
     * Jobs are deliberately slow (x264 {@code slow}) so that a test can stop a process mid-ffmpeg.
     */
    Worker start(String name, Duration shutdownGrace, Path scratch) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Package first: ./mvnw -q -pl transcode-service -am package -DskipTests");
        }
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl("postgres"),
                "-Dquarkus.datasource.username=" + Postgres.USER,
                "-Dquarkus.datasource.password=postgres",
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dmp.jwt.verify.publickey.location=" + jwt.jwksUrl(),
                "-Dmp.jwt.verify.issuer=" + JwtIssuer.ISSUER,
                "-Dclipflow.storage.local-root=" + blobs.root(),
                "-Dclipflow.transcode.scratch-dir=" + scratch,
                "-Dclipflow.transcode.ladder=240:500,360:800",
                "-Dclipflow.transcode.preset=slow",
                "-Dclipflow.transcode.segment-seconds=2",
                "-Dclipflow.transcode.poll-interval=200ms",
                "-Dclipflow.transcode.heartbeat=1s",
                "-Dclipflow.transcode.lease=3s",
                "-Dclipflow.transcode.retry-backoff=1s",
                "-Dquarkus.log.category.\"dev.clipflow\".level=DEBUG",
                // a killed process leaves the consumer group after 6 s (the broker's minimum), not 45 s
                "-Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000",
                "-Dmp.messaging.connector.smallrye-kafka.heartbeat.interval.ms=2000",
                "-jar", jar.toString()));
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the grace period of the %prod profile comes from this variable
        builder.environment().put("CLIPFLOW_TRANSCODE_SHUTDOWN_GRACE", shutdownGrace.toMillis() + "ms");
        Process process = builder.start();
        String base = "http://127.0.0.1:" + port;
        Worker worker = new Worker(name, process, base, scratch, log);
        workers.add(worker);
        awaitReady(worker);
        return worker;
    }

    private void awaitReady(Worker worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!worker.process().isAlive()) {
                throw new IllegalStateException(worker.name() + " died:\n" + Files.readString(worker.log()));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(worker.name() + " did not become ready");
    }

    /** GET with an admin token; returns status and body. */
    HttpResponse<String> get(Worker worker, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path))
                .header("Authorization", "Bearer " + jwt.admin(UUID.randomUUID())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void publish(String topic, CloudEvent<?> event) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, event.subject(), EventJson.mapper().writeValueAsString(event)))
                    .get();
        }
    }

    /**
     * Every event of {@code topic} whose data matches, read from the start of the topic until
     * nothing new matched for {@code settle} (or {@code timeout} passed).
     */
    List<JsonNode> events(String topic, Predicate<JsonNode> data, Duration settle, Duration timeout) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietUntil = System.nanoTime() + settle.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode event = EventJson.mapper().readTree(record.value());
                        if (data.test(event.path("data"))) {
                            found.add(event);
                            quietUntil = System.nanoTime() + settle.toNanos();
                        }
                    } catch (IOException notJson) {
                        // not ours
                    }
                }
            }
        }
        return found;
    }

    /** A job row as the database holds it. */
    record JobRow(String status, int progress, int attempts, String leaseOwner) {
    }

    JobRow job(UUID id) {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl("postgres"), Postgres.USER, "postgres");
                PreparedStatement query = db.prepareStatement(
                        "select status, progress, attempts, lease_owner from transcode_job where id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new JobRow(row.getString(1), row.getInt(2), row.getInt(3), row.getString(4)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the job row satisfies {@code condition}; returns it. */
    JobRow awaitJob(UUID id, Predicate<JobRow> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobRow row = null;
        while (System.nanoTime() < deadline) {
            row = job(id);
            if (row != null && condition.test(row)) {
                return row;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Job " + id + " did not get there within " + timeout + "; last seen " + row);
    }

    /** SIGTERM to every process still running, so that the next test's jobs go to its own processes. */
    void stopAll() throws InterruptedException {
        for (Worker worker : workers) {
            if (worker.process().isAlive()) {
                worker.process().destroy();
                if (!worker.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    worker.process().destroyForcibly().waitFor();
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (Worker worker : workers) {
            worker.process().descendants().forEach(ProcessHandle::destroyForcibly);
            worker.process().destroyForcibly();
        }
        for (Worker worker : workers) {
            worker.process().waitFor();
        }
        jwt.close();
        kafka.close();
        postgres.close();
        // the processes' logs outlive the temp folder, for a failed run
        Path logs = Files.createDirectories(Path.of("target/worker-process-logs"));
        for (Worker worker : workers) {
            if (Files.exists(worker.log())) {
                Files.copy(worker.log(), logs.resolve(worker.name() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
