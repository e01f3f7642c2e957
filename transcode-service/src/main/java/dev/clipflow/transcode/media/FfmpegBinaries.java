package dev.clipflow.transcode.media;

import dev.clipflow.transcode.config.TranscodeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bytedeco.javacpp.Loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the ffmpeg and ffprobe executables are: the configured paths, or the FFmpeg 8 binaries
 * shipped in {@code org.bytedeco:ffmpeg} (extracted once by JavaCPP's Loader into its cache).
 */
@ApplicationScoped
public class FfmpegBinaries {

    private final Optional<String> ffmpegPath;
    private final Optional<String> ffprobePath;
    private volatile Path ffmpeg;
    private volatile Path ffprobe;
    private volatile boolean operational;
    private volatile long lastCheckNanos;
    private volatile String problem = "not checked yet";

    @Inject
    public FfmpegBinaries(TranscodeConfig config) {
        this(config.ffmpegPath(), config.ffprobePath());
    }

    FfmpegBinaries(Optional<String> ffmpegPath, Optional<String> ffprobePath) {
        this.ffmpegPath = ffmpegPath;
        this.ffprobePath = ffprobePath;
    }

    /** The bundled executables, for callers outside CDI (benchmark, tests). */
    public static FfmpegBinaries bundled() {
        return new FfmpegBinaries(Optional.empty(), Optional.empty());
    }

    public Path ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = locate(ffmpegPath, org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return ffmpeg;
    }

    public Path ffprobe() {
        if (ffprobe == null) {
            ffprobe = locate(ffprobePath, org.bytedeco.ffmpeg.ffprobe.class);
        }
        return ffprobe;
    }

    /**
     * Whether both executables actually run ({@code -version}); checked once, then again at most
     * every 30 s while failing (e.g. a system library of the bundled build is missing). Workers claim
     * no job while this is false, so an infrastructure problem never fails a video.
     */
    public boolean operational() {
        if (operational) {
            return true;
        }
        synchronized (this) {
            if (operational || System.nanoTime() - lastCheckNanos < 30_000_000_000L && lastCheckNanos != 0) {
                return operational;
            }
            lastCheckNanos = System.nanoTime();
            try {
                run(ffmpeg());
                run(ffprobe());
                operational = true;
                problem = null;
            } catch (RuntimeException e) {
                problem = e.getMessage();
                io.quarkus.logging.Log.errorf("FFmpeg is not operational, no job will be run: %s", problem);
            }
            return operational;
        }
    }

    private volatile Optional<Path> deathSignalWrapper;

    /**
     * {@code setpriv} (util-linux) when it can give a child the parent-death signal, checked once: ffmpeg is
     * started through it so the kernel kills ffmpeg when this JVM dies. Empty without it (then a JVM killed
     * with -9 leaves its ffmpeg running until the pod goes; logged once).
     */
    public Optional<Path> deathSignalWrapper() {
        Optional<Path> current = deathSignalWrapper;
        if (current == null) {
            synchronized (this) {
                if (deathSignalWrapper == null) {
                    deathSignalWrapper = findDeathSignalWrapper();
                }
                current = deathSignalWrapper;
            }
        }
        return current;
    }

    private static Optional<Path> findDeathSignalWrapper() {
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            Path setpriv = Path.of(candidate);
            if (!Files.isExecutable(setpriv)) {
                continue;
            }
            try {
                Process check = new ProcessBuilder(candidate, "--pdeathsig", "KILL", "--", "true")
                        .redirectErrorStream(true).start();
                check.getInputStream().readAllBytes();
                if (check.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return Optional.of(setpriv);
                }
                check.destroyForcibly();
            } catch (java.io.IOException e) {
                // try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        io.quarkus.logging.Log.warn("No setpriv with --pdeathsig: ffmpeg may outlive a killed transcode JVM");
        return Optional.empty();
    }

    /** Why {@link #operational()} is false. */
    public String problem() {
        return problem;
    }

    private static void run(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                String first = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
                throw new IllegalStateException(executable.getFileName() + " -version failed: " + first);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(executable.getFileName() + " cannot be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path locate(Optional<String> configured, Class<?> bundled) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            Path path = Path.of(configured.get());
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("Configured executable " + path + " is missing or not executable");
            }
            return path;
        }
        String loaded = Loader.load(bundled);
        if (loaded == null) {
            throw new IllegalStateException("The bundled " + bundled.getSimpleName() + " is not available on this platform;"
                    + " set clipflow.transcode.ffmpeg-path / ffprobe-path");
        }
        return Path.of(loaded);
    }
}
