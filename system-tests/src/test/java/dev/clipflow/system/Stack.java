package dev.clipflow.system;

import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.RepoRoot;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole local stack, started once for all system tests exactly as a developer starts it
 * ({@code ./clipflow up}), from the packaged services, on free ports and in a data folder under
 * {@code target/}; stopped with {@code ./clipflow down} when the test run ends.
 */
public final class Stack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** The {@code iss} of the stack's tokens (./clipflow's default). */
    public static final String ISSUER = "https://clipflow.local/auth";

    /**
     * The browser origins the stack allows besides its own ({@code CLIPFLOW_CORS_ORIGINS}): pages on
     * {@code app.clipflow.test}, any port (the browser tests map *.clipflow.test to 127.0.0.1); every other origin,
     * e.g. {@code evil.clipflow.test}, is refused. An attached stack needs the same setting.
     */
    public static final String CORS_ORIGINS = "/https?://app\\.clipflow\\.test(:[0-9]+)?/";

    private static Stack instance;
    private static RuntimeException failure;

    private final Path root = RepoRoot.find();
    private final Path home = Path.of(Boolean.getBoolean("clipflow.stack.attach") ? System.getenv("CLIPFLOW_HOME")
            : System.getProperty("clipflow.stack.home", "target/stack")).toAbsolutePath();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (failure != null) {
            throw failure;
        }
        if (instance == null) {
            Stack stack = new Stack();
            if (stack.attach()) {
                instance = stack;
                return;
            }
            try {
                stack.up();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
            instance = stack;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(Stack.class.getName(), stack);
        }
    }

    public static Stack get() {
        if (instance == null) {
            throw new IllegalStateException("Annotate the test with @ExtendWith(Stack.class)");
        }
        return instance;
    }

    /**
     * {@code -Dclipflow.stack.attach=true}: use a stack already started with {@code ./clipflow up}, its
     * {@code CLIPFLOW_HOME} and {@code CLIPFLOW_*_PORT} taken from the environment; it is neither
     * started nor stopped. For a fast edit-run loop (system-tests/README.md).
     */
    private boolean attach() {
        if (!Boolean.getBoolean("clipflow.stack.attach")) {
            return false;
        }
        for (String name : List.of("GATEWAY", "AUTH", "UPLOAD", "TRANSCODE", "CATALOG", "QUOTA", "NOTIFY", "KAFKA",
                "KAFKA_CONTROLLER", "MONGO", "PG", "SMTP", "MAIL_API", "TRACES")) {
            ports.put(name, Integer.parseInt(System.getenv("CLIPFLOW_" + name + "_PORT")));
        }
        return true;
    }

    private void up() {
        for (String name : List.of("GATEWAY", "AUTH", "UPLOAD", "TRANSCODE", "CATALOG", "QUOTA", "NOTIFY", "KAFKA",
                "KAFKA_CONTROLLER", "MONGO", "PG", "SMTP", "MAIL_API", "TRACES")) {
            int port;
            do {
                port = Ports.free();
            } while (ports.containsValue(port));
            ports.put(name, port);
        }
        deleteRecursively(home);
        try {
            run(List.of("./clipflow", "up"), 900);
        } catch (RuntimeException e) {
            // never leave half a stack running behind a failed start
            run(List.of("./clipflow", "down"), 180);
            throw e;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String gateway() {
        return "http://127.0.0.1:" + ports.get("GATEWAY");
    }

    public int port(String name) {
        return ports.get(name);
    }

    /** The checkout the stack runs from. */
    public Path root() {
        return root;
    }

    /** The stack's data folder ({@code CLIPFLOW_HOME}). */
    public Path home() {
        return home;
    }

    /** Kills a process of the stack as a crash would (SIGKILL), without letting it clean up. */
    public void kill9(String name) {
        try {
            long pid = Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).trim());
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().join();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ./clipflow stop NAME}: a clean stop (SIGTERM), its data kept. */
    public void stop(String name) {
        run(List.of("./clipflow", "stop", name), 120);
    }

    /** {@code ./clipflow start NAME}: starts it again and waits until it is ready. */
    public void start(String name) {
        run(List.of("./clipflow", "start", name), 300);
    }

    /**
     * Freezes a process (SIGSTOP): it holds its connections but does nothing until {@link #thaw}, like
     * a consumer lagging behind (a long GC pause, a slow node).
     */
    public void freeze(String name) {
        signal(name, "STOP");
    }

    /** Lets a {@link #freeze frozen} process go on (SIGCONT). */
    public void thaw(String name) {
        signal(name, "CONT");
    }

    private void signal(String name, String signal) {
        try {
            String pid = Files.readString(home.resolve("run/" + name + ".pid")).trim();
            Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " (" + pid + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ./clipflow up}: starts whatever is not running (after a kill) and waits until everything is ready. */
    public void upAgain() {
        run(List.of("./clipflow", "up"), 600);
    }

    /** A base URL straight to a service's port, past the gateway (for {@code /internal/...} and {@code /q/...}). */
    public String service(String portName) {
        return "http://127.0.0.1:" + ports.get(portName);
    }

    /** What a test does while a second replica runs: given both base URLs, the stack's own replica first. */
    @FunctionalInterface
    public interface WithReplicas {
        void run(List<String> replicas) throws Exception;
    }

    /**
     * Starts a second replica of {@code service} ({@code ./clipflow start service@PORT}), checks that
     * {@code ./clipflow status} lists it as running, runs {@code test} with both replicas' base URLs and stops
     * the second replica again, whatever the test did.
     */
    public void withSecondReplica(String service, String portName, WithReplicas test) throws Exception {
        int port = Ports.free();
        String replica = service + "@" + port;
        run(List.of("./clipflow", "start", replica), 300);
        try {
            assertThat(run(List.of("./clipflow", "status"), 60))
                    .containsPattern("(?m)^" + replica + "\\s+\\d+\\s+\\d+\\s+running$");
            test.run(List.of(service(portName), "http://127.0.0.1:" + port));
        } finally {
            run(List.of("./clipflow", "stop", replica), 120);
        }
    }

    /** A value of the stack's generated secrets ({@code CLIPFLOW_HOME/secrets/local.env}). */
    public String secret(String name) {
        try {
            return Files.readAllLines(home.resolve("secrets/local.env")).stream()
                    .filter(line -> line.startsWith(name + "="))
                    .map(line -> line.substring(name.length() + 1))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No secret " + name + " in local.env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafka() {
        return "127.0.0.1:" + ports.get("KAFKA");
    }

    public String mailApi() {
        return "http://127.0.0.1:" + ports.get("MAIL_API");
    }

    /** Runs a ./clipflow command against this stack; fails with its output when it fails. */
    public String run(List<String> command, int timeoutSeconds) {
        try {
            Files.createDirectories(home);
            Path out = Files.createTempFile(home, "clipflow-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().put("CLIPFLOW_HOME", home.toString());
            builder.environment().put("CLIPFLOW_SKIP_BUILD", "1");
            // the services log as in production (JSON lines with trace ids: ObservabilityTest reads them)
            builder.environment().put("CLIPFLOW_LOG_JSON", "true");
            builder.environment().put("CLIPFLOW_CORS_ORIGINS", CORS_ORIGINS);
            // a replaced video's old media goes 20 s after the switch (10 min in production), checked every 2 s
            builder.environment().put("CLIPFLOW_CATALOG_REPLACE_GRACE", "20s");
            builder.environment().put("CLIPFLOW_CATALOG_REPLACE_SWEEP_INTERVAL", "2s");
            // a killed transcode-service's job is taken up again 10 s after its last heartbeat (30 s in the local
            // stack, 60 s in production), the heartbeat every 2 s (TranscodeCrashTest waits for it)
            builder.environment().put("CLIPFLOW_TRANSCODE_LEASE", "10s");
            builder.environment().put("CLIPFLOW_TRANSCODE_HEARTBEAT", "2s");
            ports.forEach((name, port) -> builder.environment().put("CLIPFLOW_" + name + "_PORT", String.valueOf(port)));
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " timed out:\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed:\n" + output + "\n" + logs());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String logs() {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home.resolve("logs"))) {
            for (Path log : files.toList()) {
                List<String> lines = Files.readAllLines(log);
                all.append("--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())))
                        .append('\n');
            }
        } catch (IOException | RuntimeException e) {
            all.append("(no logs: ").append(e.getMessage()).append(')');
        }
        return all.toString();
    }

    @Override
    public void close() {
        run(List.of("./clipflow", "down"), 180);
    }
}
