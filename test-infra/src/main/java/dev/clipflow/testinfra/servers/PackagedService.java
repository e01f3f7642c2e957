package dev.clipflow.testinfra.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar} of the module the test
 * runs in) started as a process of its own on a free port, its output in a log file, and waited for
 * until {@code /q/health/ready} answers 200: for replica, restart, shutdown and crash tests and the
 * benchmarks, which need a real process to stop, kill or measure.
 *
 * <pre>{@code
 * PackagedService service = PackagedService.launcher("upload-service", work.resolve("upload.log"))
 *         .jvmOptions(List.of("-Xmx256m"))
 *         .servers(postgres, kafka, jwt)
 *         .start();
 * }</pre>
 */
public record PackagedService(String name, Process process, int port, Path log) implements AutoCloseable {

    /** Where {@code ./mvnw package} puts the runnable jar, relative to the module. */
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    /** Starts describing a process of the service {@code name} whose output goes to {@code log}. */
    public static Launcher launcher(String name, Path log) {
        return new Launcher(name, log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM (what Kubernetes sends first); returns the seconds until the process was gone. */
    public double terminate(Duration atMost) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + atMost + " of SIGTERM");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** SIGKILL; returns the processes it had started that outlive it. */
    public List<ProcessHandle> kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly().waitFor();
        return children.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** SIGTERM, and SIGKILL after a minute; a no-op once the process is gone. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** What to start: JVM, JVM options, configuration and environment of one process. */
    public static final class Launcher {

        private final String name;
        private final Path log;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration readyWithin = Duration.ofMinutes(3);
        private Path jar = JAR;
        private String readyPath = "/q/health/ready";

        private Launcher(String name, Path log) {
            this.name = name;
            this.log = log;
        }

        /** Another JVM than the one running the test. */
        public Launcher javaHome(Path home) {
            this.javaHome = home;
            return this;
        }

        /** Options before the configuration, e.g. the production ones of {@code deploy/local/<service>.jvm}. */
        public Launcher jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** A configuration property, passed as {@code -Dkey=value} (so it wins over the packaged defaults). */
        public Launcher property(String key, Object value) {
            properties.put(key, String.valueOf(value));
            return this;
        }

        /**
         * What every Clipflow service with a database takes to reach the test servers: its datasource
         * (the {@code postgres} database), the Kafka broker and the JWT issuer's keys.
         */
        public Launcher servers(Postgres postgres, KafkaBroker kafka, JwtIssuer jwt) {
            return property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("postgres"))
                    .property("quarkus.datasource.username", Postgres.USER)
                    .property("quarkus.datasource.password", "postgres")
                    .property("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .property("mp.jwt.verify.publickey.location", jwt.jwksUrl())
                    .property("mp.jwt.verify.issuer", JwtIssuer.ISSUER);
        }

        public Launcher environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Launcher readyWithin(Duration timeout) {
            this.readyWithin = timeout;
            return this;
        }

        /** Another runnable jar than the module's {@link #JAR} (e.g. when started from the repository root). */
        public Launcher jar(Path runnable) {
            this.jar = runnable;
            return this;
        }

        /** Ready when this path answers 200 ({@code /q/health/ready} unless a test leaves out a dependency readiness checks). */
        public Launcher readyWhen(String path) {
            this.readyPath = path;
            return this;
        }

        /** Starts the process on a free port and returns once it is ready (or throws with its log). */
        public PackagedService start() throws IOException, InterruptedException {
            Path jar = this.jar.toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException("Package first: ./mvnw -q -pl " + name + " -am package -DskipTests");
            }
            int port = Ports.free();
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(jvmOptions);
            // as every launcher of a service does (Dockerfiles, chart, ./clipflow): HttpLayerProblems answers malformed URIs
            command.add("-Dvertx.disableURIValidation=true");
            command.add("-Dquarkus.http.port=" + port);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            PackagedService service = new PackagedService(name, builder.start(), port, log);
            try {
                awaitReady(service);
            } catch (RuntimeException | InterruptedException | IOException e) {
                service.process.destroyForcibly();
                throw e;
            }
            return service;
        }

        private void awaitReady(PackagedService service) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(service.baseUrl() + readyPath)).build();
            long deadline = System.nanoTime() + readyWithin.toNanos();
            while (System.nanoTime() < deadline) {
                if (!service.process.isAlive()) {
                    throw new IllegalStateException(name + " died:\n" + Files.readString(log));
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(name + " did not become ready within " + readyWithin + ":\n"
                    + Files.readString(log));
        }
    }
}
