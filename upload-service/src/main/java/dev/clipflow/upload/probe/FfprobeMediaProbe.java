package dev.clipflow.upload.probe;

import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.ffprobe.data.JsonFormatParser;
import dev.clipflow.upload.config.UploadConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.javacpp.Loader;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * ffprobe through Jaffree, always as an external process. The executable is
 * {@code clipflow.upload.ffprobe-path}, or the one bundled by org.bytedeco:ffmpeg: JavaCPP only
 * extracts the platform folder (the executable and the libraries it finds through its
 * {@code $ORIGIN} run path) into its cache; nothing is loaded into this JVM. ({@code Loader.load}
 * of the ffprobe preset would map and initialise every FFmpeg library and JNI wrapper in the
 * service process: ~100 MB of RSS for a process we only start.)
 */
@ApplicationScoped
public class FfprobeMediaProbe implements MediaProbe {

    /** Container formats that hold still images, not videos. */
    private static final Set<String> IMAGE_FORMATS = Set.of("image2", "png_pipe", "jpeg_pipe", "gif", "webp_pipe",
            "bmp_pipe", "tiff_pipe", "svg_pipe", "mjpeg");

    /** Kills an ffprobe that runs past {@code probe-timeout}. */
    private static final java.util.concurrent.ScheduledExecutorService TIMEOUTS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "ffprobe-timeout");
                thread.setDaemon(true);
                return thread;
            });

    private final UploadConfig config;
    private volatile Path executable;

    public FfprobeMediaProbe(UploadConfig config) {
        this.config = config;
    }

    /** Resolves (and, for the bundled one, extracts) ffprobe in the background at start, not on the first upload. */
    void warmUp(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        Thread thread = new Thread(() -> {
            try {
                executable();
            } catch (RuntimeException | LinkageError e) {
                Log.warnf("ffprobe is not available yet: %s", e.getMessage());
            }
        }, "ffprobe-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** The ffprobe executable in use. */
    public Path executable() {
        Path current = executable;
        if (current == null) {
            synchronized (this) {
                if (executable == null) {
                    executable = config.ffprobePath().map(Path::of).orElseGet(FfprobeMediaProbe::extractBundled);
                    Log.infof("Probing uploads with %s", executable);
                }
                current = executable;
            }
        }
        return current;
    }

    /** Extracts the bundled platform folder (executables and their libraries) without loading any of it. */
    static Path extractBundled() {
        String platform = Loader.getPlatform();
        for (String folder : List.of(platform + "-gpl", platform)) {
            try {
                for (File dir : Loader.cacheResources("/org/bytedeco/ffmpeg/" + folder + "/")) {
                    Path candidate = dir.toPath().resolve("ffprobe");
                    if (Files.isRegularFile(candidate)) {
                        if (!Files.isExecutable(candidate) && !candidate.toFile().setExecutable(true)) {
                            throw new IllegalStateException("Cannot make " + candidate + " executable");
                        }
                        return candidate;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("No bundled ffprobe for " + platform
                + " (org.bytedeco:ffmpeg with that classifier); set clipflow.upload.ffprobe-path");
    }

    /**
     * A file on the local store: ffprobe is run here directly and its JSON read with Jaffree's parser.
     * Not through Jaffree's runner: its {@code ProcessHandler} sleeps 100 ms after every process has
     * exited before it hands over the result ({@code waitForExecutorToStop}: the sleep comes before the
     * first look at its reader threads, in Jaffree 2023.09.10), which was two thirds of every upload's
     * completion (ffprobe itself takes ~15 ms).
     */
    @Override
    public Result probe(Path file) {
        return probeInput(file.toString(), file);
    }

    /**
     * Parts of a file on the local store (a tus concatenation stored as parts): ffprobe reads them as one file
     * through its {@code concat:} protocol (which seeks across them), as it reads a single file.
     */
    @Override
    public Result probe(List<Path> parts) {
        if (parts.size() == 1) {
            return probe(parts.get(0));
        }
        StringBuilder input = new StringBuilder("concat:");
        for (Path part : parts) {
            String name = part.toString();
            if (name.contains("|")) {
                throw new IllegalArgumentException("A part's path holds '|': " + name);
            }
            input.append(input.length() > "concat:".length() ? "|" : "").append(name);
        }
        return probeInput(input.toString(), parts.get(0).getParent());
    }

    private Result probeInput(String input, Path file) {
        List<String> command = List.of(executable().toString(), "-loglevel", "error", "-show_format", "-show_streams",
                "-print_format", "json", "-i", input);
        Process process;
        Path errors;
        try {
            errors = Files.createTempFile("clipflow-ffprobe-", ".log"); // its error lines, for the log when it refuses
        } catch (IOException e) {
            throw new UncheckedIOException("No temporary file for ffprobe's error lines", e);
        }
        try {
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            deleteQuietly(errors);
            throw new UncheckedIOException("Could not start " + command.get(0), e);
        }
        try {
            return probe(file, process, errors);
        } finally {
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.debugf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    private Result probe(Path file, Process process, Path errors) {
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> deadline = TIMEOUTS.schedule(() -> {
            timedOut.set(true);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly(); // its output ends, so the read below returns
        }, config.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        byte[] output;
        int status;
        try (java.io.InputStream out = process.getInputStream()) {
            output = out.readAllBytes();
            status = process.waitFor();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deadline.cancel(false);
        }
        if (timedOut.get()) {
            return Result.rejected("The file could not be analysed in time.");
        }
        if (status != 0) {
            Log.debugf("ffprobe rejected %s: exit status %d: %s", file, status, firstLines(errors));
            return Result.rejected("The file is not a video: it is not in a media format we can read.");
        }
        FFprobeResult result;
        try {
            result = new FFprobeResult(new JsonFormatParser().parse(new java.io.ByteArrayInputStream(output)));
        } catch (RuntimeException e) {
            Log.debugf("ffprobe's answer on %s could not be read: %s", file, e.getMessage());
            return Result.rejected("The file is not a video: it is not in a media format we can read.");
        }
        return interpret(result);
    }

    /** The start of what ffprobe wrote on its error output (at most 1,000 characters), or "" when unreadable. */
    private static String firstLines(Path errors) {
        try (java.io.InputStream in = Files.newInputStream(errors)) {
            return new String(in.readNBytes(1000), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Result probe(SeekableByteChannel source, String name) {
        // Jaffree serves the channel to ffprobe on a loopback port, with seeking
        FFprobeResult result;
        FFprobe ffprobe = FFprobe.atPath(executable().getParent()).setInput(source);
        java.util.concurrent.Future<FFprobeResult> probe = ffprobe
                .setShowStreams(true)
                .setShowFormat(true)
                .setLogLevel(com.github.kokorin.jaffree.LogLevel.ERROR)
                .executeAsync();
        try {
            result = probe.get(config.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // cancelling interrupts Jaffree's runner, which destroys the process: a stuck ffprobe must not stay
            probe.cancel(true);
            return Result.rejected("The file could not be analysed in time.");
        } catch (InterruptedException e) {
            probe.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            Log.debugf("ffprobe rejected %s: %s", name, e.getMessage());
            return Result.rejected("The file is not a video: it is not in a media format we can read.");
        }
        return interpret(result);
    }

    private static Result interpret(FFprobeResult result) {
        String format = result.getFormat() == null ? null : result.getFormat().getFormatName();
        if (format != null && IMAGE_FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            return Result.rejected("The file is an image, not a video.");
        }
        Stream video = result.getStreams() == null ? null : result.getStreams().stream()
                .filter(s -> s.getCodecType() == StreamType.VIDEO)
                .filter(s -> s.getDisposition() == null || s.getDisposition().getAttachedPic() == null
                        || !Boolean.TRUE.equals(s.getDisposition().getAttachedPic()))
                .findFirst().orElse(null);
        if (video == null) {
            return Result.rejected("The file is not a video: it has no video stream.");
        }
        Float duration = result.getFormat() == null ? null : result.getFormat().getDuration();
        return new Result(true, null, format, duration == null ? null : duration.doubleValue(), video.getWidth(),
                video.getHeight());
    }
}
