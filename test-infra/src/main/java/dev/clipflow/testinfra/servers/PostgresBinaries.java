package dev.clipflow.testinfra.servers;

import dev.clipflow.testinfra.files.Folders;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Unpacks zonky's PostgreSQL binaries before zonky looks for them, crash-safe and in constant memory.
 *
 * <p>zonky's own first extraction ({@code EmbeddedPostgres.extractTxz}) holds every file of the archive in
 * heap arrays at once (it dies with {@code OutOfMemoryError} in the 96 MB launcher of the local stack) and
 * writes straight into its final folder: a process killed or failing half-way leaves a folder without its
 * {@code .exists} marker, and every later attempt fails on the first file that is already there
 * ({@code FileAlreadyExistsException}). Here the archive is streamed into a temporary sibling folder that is
 * renamed into place only when complete, under a file lock that serialises concurrent processes; leftovers
 * of earlier attempts (ours or zonky's) are removed first. The result is exactly the layout zonky expects
 * ({@code <dir>/PG-<md5 of the archive>/.exists}), so zonky then only starts the server.
 */
public final class PostgresBinaries {

    /** zonky's default folder ({@code java.io.tmpdir/embedded-pg}). */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    }

    private PostgresBinaries() {
    }

    /**
     * Makes sure {@code dir} holds the unpacked binaries zonky will use; returns their folder.
     * Safe to call from several processes at once, and after a killed earlier attempt.
     */
    public static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            String digest = md5(archive());
            Path target = dir.resolve("PG-" + digest);
            if (Files.exists(target.resolve(".exists"))) {
                return target;
            }
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(".unpack.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockChannel.lock()) {
                if (Files.exists(target.resolve(".exists"))) {
                    return target; // another process finished while we waited for the lock
                }
                removeLeftovers(dir, target);
                Path partial = Files.createTempDirectory(dir, ".PG-" + digest + ".partial-");
                try (InputStream in = archive()) {
                    extract(in, partial);
                }
                Files.createFile(partial.resolve(".exists"));
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries into " + dir, e);
        }
    }

    private static InputStream archive() throws IOException {
        InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os(), architecture());
        if (in == null) {
            throw new IllegalStateException("No PostgreSQL binaries on the class path for " + os() + " " + architecture());
        }
        return new BufferedInputStream(in, 1 << 16);
    }

    // the names zonky passes to its resolver (EmbeddedPostgres.getOS / getArchitecture)
    private static String os() {
        String name = System.getProperty("os.name").toLowerCase();
        if (name.startsWith("linux")) {
            return "Linux";
        }
        if (name.startsWith("mac")) {
            return "Darwin";
        }
        if (name.startsWith("windows")) {
            return "Windows";
        }
        throw new UnsupportedOperationException("Unknown OS " + name);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String md5(InputStream archive) throws IOException {
        try (DigestInputStream in = new DigestInputStream(archive, MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A half-extracted target (no {@code .exists}) and partial folders of killed attempts. */
    private static void removeLeftovers(Path dir, Path target) throws IOException {
        if (Files.exists(target)) {
            Folders.deleteTree(target);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().startsWith(".PG-")) {
                    Folders.deleteTree(entry);
                }
            }
        }
    }

    private static void extract(InputStream archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("Archive entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink() || entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0 || entry.getName().replaceFirst("^\\./", "").startsWith("bin/")) {
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
    }
}
