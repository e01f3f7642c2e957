package dev.clipflow.testinfra.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL 17 server (zonky's packaged binaries) in a process of its own. */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts PostgreSQL on {@code port} with its data in {@code dataDir}; existing data is kept,
     * so a restart resumes where it stopped. The binaries are unpacked into zonky's default folder
     * ({@code java.io.tmpdir/embedded-pg}) the first time.
     */
    public static Postgres start(Path dataDir, int port) {
        return start(dataDir, port, PostgresBinaries.defaultDirectory());
    }

    /**
     * Like {@link #start(Path, int)}, with the binaries unpacked into (and run from) {@code binariesDir}:
     * the local stack keeps them in its own {@code CLIPFLOW_HOME}, so a fresh home is a first start.
     */
    public static Postgres start(Path dataDir, int port, Path binariesDir) {
        PostgresBinaries.prepare(binariesDir);
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .start();
            Postgres postgres = new Postgres(server);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Bad database name " + database);
        }
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery(
                        "select 1 from pg_database where datname = '" + database + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            // already stopped
        }
    }
}
