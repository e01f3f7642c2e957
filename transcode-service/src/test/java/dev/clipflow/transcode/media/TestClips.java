package dev.clipflow.transcode.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Tiny test clips made by ffmpeg's lavfi sources at test time (no binary fixtures in git). */
public final class TestClips {

    private static final FfmpegBinaries BINARIES = FfmpegBinaries.bundled();

    private TestClips() {
    }

    public static FfmpegBinaries binaries() {
        return BINARIES;
    }

    /** H.264/AAC MP4 (or no audio) of {@code seconds} at {@code width}x{@code height}, 25 fps. */
    public static Path mp4(Path dir, String name, int width, int height, double seconds, boolean audio) {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=25:duration=" + seconds));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=" + seconds));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25"));
        if (audio) {
            args.addAll(List.of("-c:a", "aac", "-b:a", "64k", "-shortest"));
        }
        return run(dir.resolve(name), args);
    }

    /** H.264 MP4 without audio at a low frame rate: long clips that encode quickly. */
    public static Path slow(Path dir, String name, int width, int height, double seconds, int rate) {
        return run(dir.resolve(name), List.of("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate="
                + rate + ":duration=" + seconds, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    }

    /** VP9/Opus WebM. */
    public static Path webm(Path dir, String name, int width, int height, double seconds) {
        return run(dir.resolve(name), List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=25:duration=" + seconds, "-f", "lavfi", "-i",
                "sine=frequency=300:sample_rate=48000:duration=" + seconds, "-c:v", "libvpx-vp9", "-deadline",
                "realtime", "-cpu-used", "8", "-b:v", "300k", "-c:a", "libopus", "-b:a", "48k", "-shortest"));
    }

    /** A phone-style clip: coded landscape with a 90° display rotation (displayed as portrait). */
    public static Path rotated(Path dir, String name, int width, int height, double seconds) {
        Path plain = mp4(dir, "unrotated-" + name, width, height, seconds, true);
        return run(dir.resolve(name), List.of("-display_rotation", "90", "-i", plain.toString(), "-c", "copy"));
    }

    /** Variable frame rate: frames at irregular times (setpts jitter), H.264 in MP4. */
    public static Path variableFrameRate(Path dir, String name, int width, int height, double seconds) {
        return run(dir.resolve(name), List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=30:duration=" + seconds, "-f", "lavfi", "-i",
                "sine=duration=" + seconds, "-vf", "setpts='PTS+0.02*sin(N)/TB'", "-fps_mode", "vfr", "-c:v",
                "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"));
    }

    /** Runs ffmpeg on {@code input} with extra output arguments. */
    public static Path remux(Path input, Path target, List<String> outputArgs) {
        List<String> args = new ArrayList<>(List.of("-i", input.toString()));
        args.addAll(outputArgs);
        return run(target, args);
    }

    /** Bytes that are not a video at all but look like one by name. */
    public static Path corrupt(Path dir, String name) {
        try {
            Path file = dir.resolve(name);
            byte[] junk = new byte[64 * 1024];
            new java.util.Random(7).nextBytes(junk);
            Files.write(file, junk);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The streams ffprobe finds in {@code file}, each as {@code <codec_type>:<codec_name>} (e.g. {@code audio:aac}),
     * attached pictures included: a file the service's probe refuses (audio only) can be checked too.
     */
    public static List<String> streams(Path file) {
        List<String> command = List.of(BINARIES.ffprobe().toString(), "-v", "error", "-show_entries",
                "stream=index,codec_type,codec_name", "-of", "csv=p=0:nk=1", file.toString());
        try {
            // stdout only: ffprobe's warnings (stderr) are not streams
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffprobe failed on " + file + " (exit " + process.exitValue() + ")");
            }
            // csv prints the entries in the order ffprobe knows them (index, codec_name, codec_type); an MPEG-TS
            // file's streams come twice, once in its program and once on their own: one per index
            return output.lines().map(String::trim).filter(l -> !l.isEmpty()).distinct().map(l -> {
                String[] parts = l.split(",");
                return parts[2] + ":" + parts[1];
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path run(Path target, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(BINARIES.ffmpeg().toString());
        command.addAll(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
        command.addAll(args);
        command.add(target.toString());
        try {
            Files.createDirectories(target.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed to make " + target + ": " + output);
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
