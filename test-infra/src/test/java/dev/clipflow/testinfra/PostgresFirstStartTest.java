package dev.clipflow.testinfra;

import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.RepoRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack's PostgreSQL launcher ({@code DevServer postgres}, run by {@code ./clipflow up} with the JVM
 * options of the script) on a machine that never ran it: no unpacked binaries yet, and the leftovers of a
 * first start that was killed or failed half-way.
 */
class PostgresFirstStartTest {

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    @Test
    void firstStartUnpacksTheBinariesInTheLaunchersOwnHeap(@TempDir Path dir) throws Exception {
        Path binaries = dir.resolve("postgres-binaries");
        try (Launcher pg = Launcher.start(dir, binaries)) {
            pg.awaitReady();
            assertThat(pg.query("select version()")).startsWith("PostgreSQL 17");
        }
        try (Stream<Path> unpacked = Files.list(binaries)) {
            assertThat(unpacked.map(p -> p.getFileName().toString()))
                    .as("one complete folder of binaries, nothing half-done")
                    .filteredOn(name -> name.startsWith("PG-") || name.startsWith(".PG-"))
                    .singleElement().satisfies(name -> assertThat(binaries.resolve(name).resolve(".exists")).exists());
        }
    }

    @Test
    void startsAfterAFirstStartWasKilledWhileUnpacking(@TempDir Path dir) throws Exception {
        Path binaries = dir.resolve("postgres-binaries");
        try (Launcher first = Launcher.start(dir, binaries)) {
            awaitSomeUnpackedFiles(binaries);
            first.kill();
        }
        try (Launcher second = Launcher.start(dir, binaries)) {
            second.awaitReady();
            assertThat(second.query("select 1")).isEqualTo("1");
        }
    }

    @Test
    void startsOverTheHalfUnpackedFolderAnOlderLauncherLeftBehind(@TempDir Path dir) throws Exception {
        Path binaries = dir.resolve("postgres-binaries");
        try (Launcher pg = Launcher.start(dir, binaries)) {
            pg.awaitReady();
        }
        // what zonky's own extraction leaves when it dies half-way: the final folder, some files, no marker
        Path complete;
        try (Stream<Path> unpacked = Files.list(binaries)) {
            complete = unpacked.filter(p -> p.getFileName().toString().startsWith("PG-")).findFirst().orElseThrow();
        }
        Files.delete(complete.resolve(".exists"));
        try (Stream<Path> files = Files.walk(complete.resolve("bin"))) {
            files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("pg_"))
                    .forEach(PostgresFirstStartTest::deleteQuietly);
        }
        try (Launcher pg = Launcher.start(dir, binaries)) {
            pg.awaitReady();
            assertThat(pg.query("select 1")).isEqualTo("1");
        }
    }

    private static void awaitSomeUnpackedFiles(Path binaries) throws Exception {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (Files.isDirectory(binaries)) {
                try (Stream<Path> walk = Files.walk(binaries)) {
                    if (walk.filter(Files::isRegularFile).count() > 20) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the launcher unpacked nothing into " + binaries);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code DevServer postgres} in a JVM of its own, with the options {@code ./clipflow} gives it. */
    private record Launcher(Process process, Path log, int port) implements AutoCloseable {

        static Launcher start(Path dir, Path binaries) throws IOException {
            int port = Ports.free();
            Path log = Files.createTempFile(dir, "postgres-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptionsOfTheScript());
            // a machine whose temp folder never saw zonky (nothing unpacked there by an earlier test)
            Files.createDirectories(dir.resolve("tmp"));
            command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "dev.clipflow.testinfra.devstack.DevServer", "postgres", dir.resolve("data").toString(),
                    String.valueOf(port), "clipflow", binaries.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Launcher(process, log, port);
        }

        /** The options between {@code spawn postgres "$JAVA"} and {@code -cp} in the clipflow script. */
        static List<String> jvmOptionsOfTheScript() throws IOException {
            String script = Files.readString(RepoRoot.find().resolve("clipflow"));
            Matcher m = Pattern.compile("spawn postgres \"\\$JAVA\" (.*?) -cp ").matcher(script);
            assertThat(m.find()).as("the clipflow script starts postgres with spawn postgres \"$JAVA\" ... -cp").isTrue();
            return Arrays.asList(m.group(1).trim().split("\\s+"));
        }

        void awaitReady() throws Exception {
            Instant deadline = Instant.now().plus(READY_WITHIN);
            while (Instant.now().isBefore(deadline)) {
                String out = Files.readString(log);
                if (out.contains("postgres ready on port " + port)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the launcher exited (" + process.exitValue() + "):\n" + out);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("not ready within " + READY_WITHIN + ":\n" + Files.readString(log));
        }

        String query(String sql) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/clipflow",
                    "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: the launcher stops PostgreSQL in its shutdown hook
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
