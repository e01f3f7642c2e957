package dev.clipflow.testinfra.servers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root, where the broker jars and the local stack live. */
public final class RepoRoot {

    private RepoRoot() {
    }

    /**
     * The directory named by the {@code clipflow.root} system property (the build sets it), or the
     * nearest ancestor of the working directory holding {@code kafka-broker/pom.xml}.
     */
    public static Path find() {
        String configured = System.getProperty("clipflow.root", System.getenv("CLIPFLOW_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("kafka-broker/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the Clipflow checkout from " + Path.of("").toAbsolutePath()
                + "; set -Dclipflow.root");
    }
}
