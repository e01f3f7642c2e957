package dev.clipflow.upload.support;

import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real servers plus the packaged upload-service ({@code target/quarkus-app}) as separate processes,
 * for replica and restart tests and the benchmark. Everything lives under one temp dir.
 */
public final class ServiceHarness implements AutoCloseable {

    public final Path work;
    public final Postgres postgres;
    public final KafkaBroker kafka;
    public final JwtIssuer jwt;
    public final QuotaStub quota;
    private final List<Process> processes = new ArrayList<>();

    public ServiceHarness() throws IOException {
        work = Files.createTempDirectory("clipflow-upload-harness");
        postgres = Postgres.start(work.resolve("pg"), Ports.free());
        kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(), work.resolve("kafka.log"));
        jwt = JwtIssuer.start();
        quota = QuotaStub.start();
    }

    public Path blobs() {
        return work.resolve("blobs");
    }

    /** A running service process. */
    public record Service(Process process, String baseUrl, Path log) {
    }

    /** Starts one replica (all replicas share the database, the broker and the blob folder). */
    public Service start(List<String> jvmArgs) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Package first: ./mvnw -q -pl upload-service -am package -DskipTests");
        }
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl("postgres"),
                "-Dquarkus.datasource.username=" + Postgres.USER,
                "-Dquarkus.datasource.password=postgres",
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dmp.jwt.verify.publickey.location=" + jwt.jwksUrl(),
                "-Dmp.jwt.verify.issuer=" + JwtIssuer.ISSUER,
                "-Dquarkus.oidc-client.token-path=" + jwt.tokenUrl(),
                "-Dquarkus.rest-client.quota.url=" + quota.url(),
                "-Dclipflow.storage.local-root=" + blobs(),
                "-Dclipflow.upload.max-file-size=" + (8L << 30),
                "-Dclipflow.upload.min-chunk-size=16",
                "-jar", jar.toString()));
        Path log = work.resolve("service-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        String base = "http://127.0.0.1:" + port;
        awaitReady(base, process, log);
        return new Service(process, base, log);
    }

    private static void awaitReady(String base, Process service, Path log) throws Exception {
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

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            process.waitFor();
        }
        quota.close();
        jwt.close();
        kafka.close();
        postgres.close();
        deleteTree(work);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
