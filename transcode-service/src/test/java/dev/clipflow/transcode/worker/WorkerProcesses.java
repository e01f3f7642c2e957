package dev.clipflow.transcode.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.storage.local.LocalBlobStore;
import dev.clipflow.testinfra.files.Folders;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.PackagedService;
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

    /** One service process and its scratch folder. */
    record Worker(String name, PackagedService service, Path scratch) {

        Process process() {
            return service.process();
        }

        String baseUrl() {
            return service.baseUrl();
        }

        Path log() {
            return service.log();
        }

        /** SIGTERM (what Kubernetes sends first); returns the seconds until the process was gone. */
        double terminate(Duration atMost) throws InterruptedException {
            return service.terminate(atMost);
        }

        /** SIGKILL; returns the ffmpeg processes it had started that outlive it. */
        List<ProcessHandle> kill() throws InterruptedException {
            return service.kill();
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
        PackagedService service = PackagedService.launcher("transcode-service", work.resolve(name + ".log"))
                .jvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .servers(postgres, kafka, jwt)
                .property("clipflow.storage.local-root", blobs.root())
                .property("clipflow.transcode.scratch-dir", scratch)
                .property("clipflow.transcode.ladder", "240:500,360:800")
                .property("clipflow.transcode.preset", "slow")
                .property("clipflow.transcode.segment-seconds", 2)
                .property("clipflow.transcode.poll-interval", "200ms")
                .property("clipflow.transcode.heartbeat", "1s")
                .property("clipflow.transcode.lease", "3s")
                .property("clipflow.transcode.retry-backoff", "1s")
                .property("quarkus.log.category.\"dev.clipflow\".level", "DEBUG")
                // a killed process leaves the consumer group after 6 s (the broker's minimum), not 45 s
                .property("mp.messaging.connector.smallrye-kafka.session.timeout.ms", 6000)
                .property("mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", 2000)
                // the grace period of the %prod profile comes from this variable
                .environment("CLIPFLOW_TRANSCODE_SHUTDOWN_GRACE", shutdownGrace.toMillis() + "ms")
                .start();
        Worker worker = new Worker(name, service, scratch);
        workers.add(worker);
        return worker;
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
            worker.service().close();
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
        Folders.deleteTree(work);
    }
}
