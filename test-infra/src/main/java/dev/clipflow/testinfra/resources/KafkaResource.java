package dev.clipflow.testinfra.resources;

import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker for a test run; sets {@code kafka.bootstrap.servers}. {@link #broker()} lets
 * outage tests kill it and {@link #restart()} bring it back on the same port and data.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker broker;
    private static int port;
    private static int controllerPort;
    private static Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("clipflow-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = Ports.free();
        do {
            controllerPort = Ports.free();
        } while (controllerPort == port);
        broker = KafkaBroker.start(dir, port, controllerPort, dir.resolve("broker.log"));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    public static KafkaBroker broker() {
        return broker;
    }

    /** Starts the broker again after a {@link KafkaBroker#kill()}. */
    public static synchronized void restart() {
        broker = KafkaBroker.start(dir, port, controllerPort, dir.resolve("broker.log"));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
