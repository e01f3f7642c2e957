package dev.clipflow.system;

import dev.clipflow.testinfra.files.Commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real media for the journeys: clips made by FFmpeg's lavfi sources, and ffprobe over HTTP. */
final class Media {

    private Media() {
    }

    static String ffmpeg() {
        return org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    static String ffprobe() {
        return org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** A small H.264/AAC MP4 test pattern with a tone. */
    static Path clip(Path dir, String name, int width, int height, double seconds) {
        Path out = dir.resolve(name);
        run(List.of(ffmpeg(), "-y", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-g", "25", "-c:a", "aac", "-b:a", "64k", "-shortest", out.toString()));
        return out;
    }

    static String sha256(Path file) {
        return Commands.sha256(file);
    }

    /** ffprobe's duration of a file or URL (with optional HTTP headers), in seconds. */
    static double duration(String input, String headers) {
        List<String> command = new ArrayList<>(List.of(ffprobe(), "-v", "error"));
        if (headers != null) {
            command.addAll(List.of("-headers", headers));
        }
        command.addAll(List.of("-show_entries", "format=duration", "-of", "default=nw=1:nk=1", input));
        return Double.parseDouble(run(command).trim());
    }

    /** ffprobe's streams of a file or URL (with optional HTTP headers): one {@code type,width,height} line each. */
    static String streams(String input, String headers) {
        List<String> command = new ArrayList<>(List.of(ffprobe(), "-v", "error"));
        if (headers != null) {
            command.addAll(List.of("-headers", headers));
        }
        command.addAll(List.of("-show_entries", "stream=codec_type,width,height", "-of", "csv=p=0", input));
        return run(command);
    }

    static String run(List<String> command) {
        return Commands.run(command, java.time.Duration.ofSeconds(120));
    }
}
