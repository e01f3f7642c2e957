package dev.clipflow.transcode.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scratch folders: deleted on close; what a killed run left is removed when the job runs again,
 * and leftovers of a killed process are purged at start (only ours).
 */
class ScratchTest {

    @Test
    void closingDeletesTheFolderWithEverythingInIt(@TempDir Path root) throws Exception {
        Path dir;
        try (Scratch scratch = Scratch.create(root, "job")) {
            dir = scratch.dir();
            Files.createDirectories(scratch.resolve("out/hls/720p"));
            Files.writeString(scratch.resolve("out/hls/720p/seg_0.ts"), "x");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aNewRunOfAJobRemovesWhatACrashedRunOfItLeftBehindAndNothingElse(@TempDir Path root) throws Exception {
        // a run killed with -9 never closed its scratch folder
        Scratch crashed = Scratch.create(root, "3f2a6c1e-job");
        Files.createDirectories(crashed.resolve("out/hls/480p"));
        Files.writeString(crashed.resolve("source"), "partial source");
        Files.writeString(crashed.resolve("out/hls/480p/seg_3.ts"), "partial segment");
        Scratch other = Scratch.create(root, "9b7d0e44-job");

        try (Scratch again = Scratch.create(root, "3f2a6c1e-job")) {
            assertThat(crashed.dir()).doesNotExist();
            assertThat(other.dir()).isDirectory();
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left).containsExactlyInAnyOrder(again.dir(), other.dir());
            }
        }
        other.close();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void leftoversOfJobsArePurgedAtStartAndNothingElse(@TempDir Path root) throws Exception {
        Scratch left = Scratch.create(root, UUID.randomUUID().toString());
        Files.writeString(left.resolve("source"), "partial");
        Path foreignDir = Files.createDirectories(root.resolve("not-a-job"));
        Path foreignFile = Files.writeString(root.resolve(UUID.randomUUID() + "-123"), "a file, not a folder");

        assertThat(Scratch.purgeLeftovers(root)).isEqualTo(1);

        assertThat(left.dir()).doesNotExist();
        assertThat(foreignDir).exists();
        assertThat(foreignFile).exists();
        assertThat(Scratch.purgeLeftovers(root.resolve("missing"))).isZero();
    }
}
