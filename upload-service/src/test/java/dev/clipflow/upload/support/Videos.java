package dev.clipflow.upload.support;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small real videos made by the bundled FFmpeg (lavfi testsrc + sine): no binary fixtures in git. */
public final class Videos {

    private static Path cached;

    private Videos() {
    }

    /** A 2-second 160x120 H.264/AAC MP4 (some tens of KB). */
    public static synchronized Path mp4() {
        if (cached == null) {
            try {
                Path dir = Files.createTempDirectory("clipflow-videos");
                dir.toFile().deleteOnExit();
                cached = generate(dir.resolve("test.mp4"), 2);
                cached.toFile().deleteOnExit(); // registered after the dir: deleted first
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    public static byte[] mp4Bytes() {
        try {
            return Files.readAllBytes(mp4());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path generate(Path target, int seconds) {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        List<String> command = List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=" + seconds + ":size=160x120:rate=15",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds,
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                target.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + output);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
