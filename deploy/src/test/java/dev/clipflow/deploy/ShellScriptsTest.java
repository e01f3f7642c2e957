package dev.clipflow.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shell script of the repository passes shellcheck ({@code ./clipflow test} installs Debian's
 * {@code shellcheck}; the Maven wrapper is Apache's and left out).
 */
class ShellScriptsTest {

    private static final Path ROOT = Path.of(System.getProperty("clipflow.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyShellScriptPassesShellcheck() throws Exception {
        List<String> scripts = scripts();
        assertThat(scripts).contains("clipflow", ".ci/run");
        List<String> command = new ArrayList<>(List.of(shellcheck(), "--external-sources", "--severity=info"));
        command.addAll(scripts);
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("shellcheck %s:%n%s", scripts, out).isZero();
    }

    private static String shellcheck() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "shellcheck"))) {
                return Path.of(dir, "shellcheck").toString();
            }
        }
        throw new AssertionError("shellcheck is not installed: run ./clipflow test (installs it as root) "
                + "or apt-get install shellcheck");
    }

    /** Files under version control that are shell scripts: *.sh, or a #!/.../bash or sh first line. */
    private static List<String> scripts() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files").directory(ROOT.toFile()).start();
        List<String> files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(git.waitFor()).isZero();
        List<String> scripts = new ArrayList<>();
        for (String file : files) {
            Path path = ROOT.resolve(file);
            if (file.equals("mvnw") || file.contains("node_modules/") || !Files.isRegularFile(path)) {
                continue;
            }
            if (file.endsWith(".sh") || isShell(path)) {
                scripts.add(file);
            }
        }
        return scripts;
    }

    private static boolean isShell(Path path) throws IOException {
        try (Stream<String> lines = Files.lines(path, StandardCharsets.ISO_8859_1)) {
            String first = lines.findFirst().orElse("");
            return first.startsWith("#!") && (first.endsWith("bash") || first.endsWith("/sh") || first.endsWith(" sh"));
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }
}
