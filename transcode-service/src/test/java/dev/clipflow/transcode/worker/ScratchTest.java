package dev.clipflow.transcode.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Scratch folders: deleted on close, and leftovers of a killed process purged at start (only ours). */
class ScratchTest {

    @TempDir
    Path root;

    @Test
    void closingDeletesTheFolderWithEverythingInIt() throws Exception {
        Scratch scratch = Scratch.create(root, UUID.randomUUID().toString());
        Files.createDirectories(scratch.resolve("out/hls/240p"));
        Files.writeString(scratch.resolve("out/hls/240p/seg_0000.ts"), "x");
        scratch.close();
        assertThat(scratch.dir()).doesNotExist();
    }

    @Test
    void leftoversOfJobsArePurgedAndNothingElse() throws Exception {
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
