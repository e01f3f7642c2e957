package dev.clipflow.transcode.media;

import dev.clipflow.transcode.config.TranscodeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    private final Optional<String> ffmpegPath;
    private final Optional<String> ffprobePath;
    private volatile Path ffmpeg;
    private volatile Path ffprobe;

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
