package dev.clipflow.transcode.bench;

import dev.clipflow.transcode.ladder.LadderPlanner;
import dev.clipflow.transcode.ladder.Rung;
import dev.clipflow.transcode.ladder.RungSpec;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.FfmpegBinaries;
import dev.clipflow.transcode.media.FfmpegMediaTool;
import dev.clipflow.transcode.media.MediaInfo;
import dev.clipflow.transcode.media.Progress;
import dev.clipflow.transcode.worker.Scratch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints how long the 3-rung ladder (480p/720p/1080p + MP4) of a 1080p source takes:
 * (a) through the service pipeline (probe, plan, one ffmpeg via Jaffree), (b) as the same ladder in
 * one hand-written ffmpeg command, (c) as three separate ffmpeg runs (one per rendition) and
 * (d) four separate runs (the three plus the MP4). Not a test: run it with bench/run-benchmark.sh.
 * <p>Arguments: [source seconds=10] [repeats=2] [preset=veryfast]; the best of the repeats counts.
 */
public final class LadderBenchmark {

    private static final List<String> LADDER = List.of("480:1400", "720:2800", "1080:5000");
    private static final int SEGMENT = 4;
    private static final int CRF = 23;
    private static final int AUDIO = 128;

    private LadderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String preset = args.length > 2 ? args[2] : "veryfast";
        FfmpegBinaries binaries = FfmpegBinaries.bundled();
        String ffmpeg = binaries.ffmpeg().toString();
        FfmpegMediaTool tool = new FfmpegMediaTool(binaries,
                new FfmpegMediaTool.Settings(preset, CRF, AUDIO, SEGMENT, 60, 360));
        LadderPlanner planner = new LadderPlanner(RungSpec.parse(LADDER));

        try (Scratch scratch = Scratch.create(Path.of(System.getProperty("java.io.tmpdir")), "ladder-bench")) {
            Path source = scratch.resolve("source-1080p.mp4");
            exec(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=1920x1080:rate=30:duration=" + seconds, "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:v", "libx264", "-preset",
                    "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source.toString()));
            MediaInfo info = tool.probe(source);
            List<Rung> rungs = planner.plan(info.displayWidth(), info.displayHeight());
            System.out.printf(Locale.ROOT, "FFmpeg %s, source 1920x1080 30 fps %.1f s H.264/AAC, ladder %s, preset %s, "
                    + "%d cores, best of %d%n", version(ffmpeg), info.durationSeconds(),
                    rungs.stream().map(Rung::name).toList(), preset, Runtime.getRuntime().availableProcessors(), repeats);

            double ours = best(repeats, () -> {
                Path out = fresh(scratch, "ours");
                long t = System.nanoTime();
                MediaInfo probed = tool.probe(source);
                tool.encodeLadder(source, probed, planner.plan(probed.displayWidth(), probed.displayHeight()), out,
                        Progress.NONE, new Abort());
                return (System.nanoTime() - t) / 1e9;
            });
            double handWritten = best(repeats, () -> timed(oneCommand(ffmpeg, source, rungs, fresh(scratch, "one"), preset)));
            double three = best(repeats, () -> {
                Path out = fresh(scratch, "three");
                double total = 0;
                for (Rung rung : rungs) {
                    total += timed(singleRendition(ffmpeg, source, rung, out, preset));
                }
                return total;
            });
            double mp4 = best(repeats, () -> timed(mp4Only(ffmpeg, source, rungs.get(rungs.size() - 1),
                    fresh(scratch, "mp4"), preset)));

            System.out.printf(Locale.ROOT, "%-52s %8.2f s  realtime x%.2f%n", "service pipeline (probe+plan+1 ffmpeg, Jaffree)",
                    ours, info.durationSeconds() / ours);
            System.out.printf(Locale.ROOT, "%-52s %8.2f s  ours/this = %.3f (target <= 1.05)%n",
                    "same ladder, one hand-written ffmpeg command", handWritten, ours / handWritten);
            System.out.printf(Locale.ROOT, "%-52s %8.2f s  this/ours = %.2fx (target >= 1.8)%n",
                    "three separate ffmpeg runs (HLS only)", three, three / ours);
            System.out.printf(Locale.ROOT, "%-52s %8.2f s  this/ours = %.2fx%n",
                    "four separate runs (3 HLS + MP4)", three + mp4, (three + mp4) / ours);
        }
    }

    /** Exactly what the service runs, written out by hand: decode once, split, 3 encodes, tee to MP4 + HLS. */
    private static List<String> oneCommand(String ffmpeg, Path source, List<Rung> rungs, Path out, String preset) {
        StringBuilder graph = new StringBuilder("[0:v]fps=30.000,split=3[s0][s1][s2]");
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin",
                "-i", source.toString()));
        StringBuilder tee = new StringBuilder("[select=\\'v:2,a\\':f=mp4:movflags=+faststart]" + out.resolve("video.mp4"));
        List<String> perStream = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(":flags=bicubic,setsar=1,format=yuv420p[v").append(i).append(']');
            Path dir = mkdirs(out.resolve(r.name()));
            tee.append("|[select=\\'v:").append(i).append(",a\\':f=hls:hls_time=").append(SEGMENT)
                    .append(":hls_playlist_type=vod:hls_segment_filename=").append(dir.resolve("seg_%04d.ts"))
                    .append(']').append(dir.resolve("index.m3u8"));
            perStream.addAll(List.of("-maxrate:v:" + i, r.videoKbps() + "k", "-bufsize:v:" + i, 2 * r.videoKbps() + "k"));
        }
        cmd.addAll(List.of("-filter_complex", graph.toString(), "-map", "[v0]", "-map", "[v1]", "-map", "[v2]",
                "-map", "0:a:0", "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(CRF), "-profile:v", "high",
                "-g", "120", "-keyint_min", "120", "-sc_threshold", "0", "-force_key_frames",
                "expr:gte(t,n_forced*" + SEGMENT + ")"));
        cmd.addAll(perStream);
        cmd.addAll(List.of("-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000", "-flags", "+global_header",
                "-f", "tee", tee.toString()));
        return cmd;
    }

    /** The naive way: one full decode + scale + encode per rendition. */
    private static List<String> singleRendition(String ffmpeg, Path source, Rung r, Path out, String preset) {
        Path dir = mkdirs(out.resolve(r.name()));
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin", "-i", source.toString(),
                "-vf", "fps=30,scale=" + r.width() + ":" + r.height() + ":flags=bicubic,setsar=1,format=yuv420p",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(CRF), "-profile:v", "high",
                "-maxrate", r.videoKbps() + "k", "-bufsize", 2 * r.videoKbps() + "k", "-g", "120", "-keyint_min", "120",
                "-sc_threshold", "0", "-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000",
                "-f", "hls", "-hls_time", String.valueOf(SEGMENT), "-hls_playlist_type", "vod",
                "-hls_segment_filename", dir.resolve("seg_%04d.ts").toString(), dir.resolve("index.m3u8").toString());
    }

    private static List<String> mp4Only(String ffmpeg, Path source, Rung r, Path out, String preset) {
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin", "-i", source.toString(),
                "-vf", "fps=30,scale=" + r.width() + ":" + r.height() + ",setsar=1,format=yuv420p",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(CRF), "-maxrate", r.videoKbps() + "k",
                "-bufsize", 2 * r.videoKbps() + "k", "-c:a", "aac", "-b:a", AUDIO + "k", "-movflags", "+faststart",
                out.resolve("video.mp4").toString());
    }

    private static double best(int repeats, Supplier<Double> run) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            best = Math.min(best, run.get());
        }
        return best;
    }

    private static double timed(List<String> command) {
        long t = System.nanoTime();
        exec(command);
        return (System.nanoTime() - t) / 1e9;
    }

    private static void exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("Command failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String version(String ffmpeg) {
        try {
            Process process = new ProcessBuilder(ffmpeg, "-version").redirectErrorStream(true).start();
            String first = new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            process.waitFor();
            return first.replace("ffmpeg version ", "").split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static Path fresh(Scratch scratch, String name) {
        Path dir = scratch.resolve(name);
        Scratch.deleteTree(dir);
        return mkdirs(dir);
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
