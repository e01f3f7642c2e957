package dev.clipflow.transcode.media;

import dev.clipflow.transcode.config.TranscodeConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.javacpp.Loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the ffmpeg and ffprobe executables are: the configured paths, or the FFmpeg 8 binaries
 * shipped in {@code org.bytedeco:ffmpeg} (extracted once by JavaCPP's Loader into its cache).
 */
@ApplicationScoped
public class FfmpegBinaries {

    private final TranscodeConfig config;
    private volatile Path ffmpeg;
    private volatile Path ffprobe;

    public FfmpegBinaries(TranscodeConfig config) {
        this.config = config;
    }

    public Path ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = locate(config.ffmpegPath(), org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return ffmpeg;
    }

    public Path ffprobe() {
        if (ffprobe == null) {
            ffprobe = locate(config.ffprobePath(), org.bytedeco.ffmpeg.ffprobe.class);
        }
        return ffprobe;
    }

    /** Resolves both executables for a caller outside CDI (benchmark, tests). */
    public static Path bundled(Class<?> executable) {
        return Path.of(Loader.load(executable));
    }

    private static Path locate(Optional<String> configured, Class<?> bundled) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            Path path = Path.of(configured.get());
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("Configured executable " + path + " is missing or not executable");
            }
            return path;
        }
        Path path = bundled(bundled);
        Log.debugf("Using bundled %s", path);
        return path;
    }
}
