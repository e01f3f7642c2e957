package dev.clipflow.testinfra.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Machine-readable figures of a benchmark, next to what it prints: when the environment variable
 * {@code CLIPFLOW_BENCH_RESULTS} names a file, every figure is appended to it as one
 * {@code key=value} line (a plain number, no unit). {@code ./clipflow bench} collects these files
 * from repeated runs and writes docs/benchmarks.md from their medians.
 */
public final class BenchResults {

    public static final String ENV = "CLIPFLOW_BENCH_RESULTS";

    private BenchResults() {
    }

    public static void record(String key, double value) {
        String target = System.getenv(ENV);
        if (target == null || target.isBlank()) {
            return;
        }
        String line = key + "=" + String.format(Locale.ROOT, "%.6g", value).trim() + System.lineSeparator();
        try {
            Path file = Path.of(target);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
