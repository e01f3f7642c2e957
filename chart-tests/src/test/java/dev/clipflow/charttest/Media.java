package dev.clipflow.charttest;

import dev.clipflow.testinfra.files.Commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real videos made by FFmpeg (org.bytedeco:ffmpeg, the project's FFmpeg 8) from lavfi sources. */
final class Media {

    static final long HALF_GIB = 512L * 1024 * 1024;

    private Media() {
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

    /**
     * A real H.264/AAC 720p MP4 of at least 512 MiB that is cheap to make and to transcode: a few seconds
     * of a noisy test pattern coded losslessly (about 1.7 MB a frame), so the size comes from the bitrate,
     * not the duration. Made once per build folder and kept ({@code target/media}).
     */
    static Path halfGibVideo(Path dir) {
        Path out = dir.resolve("half-gib-720p.mp4");
        try {
            if (Files.exists(out) && Files.size(out) >= HALF_GIB) {
                return out;
            }
            Files.createDirectories(dir);
            Path partial = dir.resolve("half-gib-720p.partial.mp4");
            // -fs stops at the size; the moov box comes after it, so the file ends just past 512 MiB
            run(List.of(ffmpeg(), "-y", "-loglevel", "error",
                    "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25,noise=alls=60:allf=t",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", "20", "-fs", String.valueOf(HALF_GIB), "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                    "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", "-b:a", "64k", "-shortest", partial.toString()));
            if (Files.size(partial) < HALF_GIB) {
                throw new IllegalStateException("the generated video has only " + Files.size(partial) + " bytes");
            }
            Files.move(partial, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String ffmpeg() {
        return org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    /** FFmpeg makes the large clip in a few minutes on a busy machine. */
    private static String run(List<String> command) {
        return Commands.run(command, java.time.Duration.ofMinutes(10));
    }
}
