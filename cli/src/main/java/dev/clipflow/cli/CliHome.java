package dev.clipflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The client's own folder: {@code $CLIPFLOW_CLI_HOME}, else {@code $XDG_CONFIG_HOME/clipflow}, else
 * {@code ~/.config/clipflow}. It holds {@code credentials.json} (the tokens of {@code login}, mode 600)
 * and {@code uploads.json} (unfinished uploads, so a later run resumes them).
 */
public final class CliHome {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path dir;

    CliHome(Path dir) {
        this.dir = dir;
    }

    static CliHome fromEnvironment() {
        String own = System.getenv("CLIPFLOW_CLI_HOME");
        if (own != null && !own.isBlank()) {
            return new CliHome(Path.of(own));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new CliHome(base.resolve("clipflow"));
    }

    Path credentialsFile() {
        return dir.resolve("credentials.json");
    }

    Path uploadsFile() {
        return dir.resolve("uploads.json");
    }

    <T> T read(Path file, Class<T> type) {
        try {
            return Files.exists(file) ? JSON.readValue(file.toFile(), type) : null;
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically (temp file, then rename) and readable by the owner only. */
    void write(Path file, Object value) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the folder's own permissions apply
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "Cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@code login} keeps. */
    public record Credentials(String server, String email, String accessToken, String refreshToken) {
    }
}
