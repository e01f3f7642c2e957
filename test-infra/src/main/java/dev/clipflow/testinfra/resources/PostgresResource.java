package dev.clipflow.testinfra.resources;

import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fresh real PostgreSQL for a test run; configures the default datasource. Outage tests
 * {@link #stopServer()} it and {@link #startServer()} it again on the same port and data.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile Postgres postgres;
    private static Path dir;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("clipflow-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = Ports.free();
        postgres = Postgres.start(dir, port);
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl("postgres"),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", "postgres");
    }

    /** Stops the server (a clean shutdown); its data stays for {@link #startServer()}. */
    public static synchronized void stopServer() {
        postgres.close();
    }

    /** Starts the server again after {@link #stopServer()}, on the same port and data. */
    public static synchronized void startServer() {
        postgres = Postgres.start(dir, port);
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
