package dev.clipflow.transcode.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A job's private scratch folder, deleted with everything in it when closed (whatever the outcome).
 * A process that dies without closing it (kill -9, OOM kill) leaves it behind; the next run of the
 * same job removes it, so a crash costs disk space only until the job is taken up again.
 */
public final class Scratch implements AutoCloseable {

    /** Names {@link #create} gives: {@code <job id>-<random digits>}. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9]+");

    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    /**
     * A new folder {@code root/name-<random>}, after deleting the folders an earlier run under the same
     * name left behind (the caller holds the job, so no one else is using them).
     */
    public static Scratch create(Path root, String name) {
        try {
            Files.createDirectories(root);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root, name + "-*")) {
                for (Path leftover : leftovers) {
                    io.quarkus.logging.Log.infof("Removing scratch folder %s left by an earlier run", leftover);
                    deleteTree(leftover);
                }
            }
            return new Scratch(Files.createTempDirectory(root, name + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        deleteTree(dir);
    }

    /**
     * Deletes job folders that a killed process left in {@code root} (only names {@link #create}
     * makes, so a misconfigured root such as /tmp loses nothing else). The scratch root must be
     * private to one process (a pod's emptyDir): call this before any job starts. Returns how many.
     */
    public static int purgeLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int purged = 0;
        try (java.util.stream.Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) && NAME.matcher(child.getFileName().toString()).matches()) {
                    deleteTree(child);
                    purged++;
                }
            }
        } catch (IOException e) {
            io.quarkus.logging.Log.warnf("Could not list scratch folder %s: %s", root, e.getMessage());
        }
        return purged;
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            io.quarkus.logging.Log.warnf("Could not delete scratch folder %s: %s", root, e.getMessage());
        }
    }
}
