package dev.clipflow.transcode.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ffmpeg kept running after its transcode JVM was killed (kill -9): an orphan holding CPU and scratch files. */
class OrphanFfmpegTest {

    @TempDir
    Path dir;

    @Test
    void ffmpegDiesWithItsKilledJvm() throws Exception {
        Path fifo = dir.resolve("endless-input.mp4");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                FfmpegChild.class.getName(), fifo.toString(), dir.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Optional<ProcessHandle> ffmpeg = Optional.empty();
        try {
            ffmpeg = await().atMost(Duration.ofSeconds(60)).until(() -> ffmpegOf(child, fifo), Optional::isPresent);
            child.destroyForcibly().waitFor();
            ProcessHandle orphan = ffmpeg.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
        } finally {
            child.destroyForcibly();
            ffmpeg.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static Optional<ProcessHandle> ffmpegOf(Process child, Path input) {
        List<ProcessHandle> found = child.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(input.toString())).toList();
        return found.stream().findFirst();
    }
}
