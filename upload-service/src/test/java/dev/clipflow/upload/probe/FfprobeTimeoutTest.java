package dev.clipflow.upload.probe;

import dev.clipflow.upload.config.UploadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real ffprobe on a file that never delivers a byte: a FIFO nobody writes to (ffprobe blocks opening it). */
class FfprobeTimeoutTest {

    @TempDir
    Path dir;

    /** The probe gave up after its timeout but left ffprobe running, blocked for ever. */
    @Test
    void aProbeThatTimesOutKillsFfprobe() throws Exception {
        Path fifo = dir.resolve("never-written.mp4");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        FfprobeMediaProbe probe = new FfprobeMediaProbe(config(Duration.ofMillis(500)));

        MediaProbe.Result result = probe.probe(fifo);

        assertThat(result.video()).isFalse();
        assertThat(result.reason()).contains("in time");
        await().atMost(Duration.ofSeconds(10)).until(() -> probesOf(fifo).isEmpty());
    }

    private static List<ProcessHandle> probesOf(Path file) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(file.toString())).toList();
    }

    private static UploadConfig config(Duration probeTimeout) {
        return (UploadConfig) Proxy.newProxyInstance(UploadConfig.class.getClassLoader(),
                new Class<?>[] {UploadConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "probeTimeout" -> probeTimeout;
                    case "ffprobePath" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
