package dev.clipflow.testinfra.servers;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Apache Kafka 4.3.1 (KRaft, broker and controller in one) in a JVM of its own,
 * started from the jars the {@code kafka-broker} module gathers. Keeping the broker out of the
 * service JVM avoids classpath clashes with the Kafka client Quarkus ships.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private KafkaBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a broker with its log under {@code dir} (formatted when new), listening on {@code port}. */
    public static KafkaBroker start(Path dir, int port, int controllerPort, Path logFile) {
        try {
            Path config = prepare(dir, port, controllerPort, logFile);
            List<String> command = new ArrayList<>(List.of(java(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                    "-cp", brokerLibs().resolve("*").toString(), "kafka.Kafka", config.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(process, port, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            Ports.await(port, Duration.ofSeconds(60), process::isAlive, "Kafka broker");
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code dir/server.properties} for a single KRaft node and formats the log directory
     * unless it already holds a cluster. Returns the config file; {@code kafka.Kafka <file>} runs it.
     */
    public static Path prepare(Path dir, int port, int controllerPort, Path logFile) {
        try {
            Path libs = brokerLibs();
            Files.createDirectories(dir);
            Path data = dir.resolve("data");
            Path config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "controller.listener.names=CONTROLLER",
                    "log.dirs=" + data.toAbsolutePath(),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "auto.create.topics.enable=true",
                    "group.initial.rebalance.delay.ms=0",
                    "log.cleaner.dedupe.buffer.size=8388608",
                    ""));
            if (!Files.exists(data.resolve("meta.properties"))) {
                Process format = new ProcessBuilder(java(), "-Xmx256m", "-cp", libs.resolve("*").toString(),
                        "kafka.tools.StorageTool", "format", "-t",
                        UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IllegalStateException("Formatting the Kafka log failed; see " + logFile);
                }
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates the topics that do not exist yet, with the broker's default partitions (a DLQ topic
     * nobody produced to yet must exist too, so its admin listing and consumers find it).
     */
    public static void ensureTopics(String bootstrap, Collection<String> names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, Optional.empty(), Optional.empty()))
                    .toList();
            for (var result : admin.createTopics(missing).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Creating a topic failed", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Listing the topics of " + bootstrap + " failed", e);
        }
    }

    /** The folder of broker jars; built by {@code ./mvnw -pl kafka-broker process-resources}. */
    public static Path brokerLibs() {
        Path libs = RepoRoot.find().resolve("kafka-broker/target/kafka-libs");
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("No Kafka broker jars at " + libs
                    + ": build them with ./mvnw -pl kafka-broker process-resources");
        }
        return libs;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the broker as SIGKILL would (for outage tests); {@link #start} on the same dir resumes it. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Freezes the broker (SIGSTOP): its connections stay open but nothing answers, so requests in
     * flight wait instead of failing fast. {@link #thaw()} lets it go on.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a {@link #freeze() frozen} broker (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
