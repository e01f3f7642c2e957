package dev.clipflow.transcode.bench;

import dev.clipflow.transcode.ladder.LadderPlanner;
import dev.clipflow.transcode.ladder.Rung;
import dev.clipflow.transcode.ladder.RungSpec;
import dev.clipflow.transcode.media.Abort;
import dev.clipflow.transcode.media.FfmpegBinaries;
import dev.clipflow.transcode.media.FfmpegMediaTool;
import dev.clipflow.transcode.media.LadderCommand;
import dev.clipflow.transcode.media.H264Level;
import dev.clipflow.transcode.media.MediaInfo;
import dev.clipflow.transcode.media.Progress;
import dev.clipflow.transcode.media.SegmentListener;
import dev.clipflow.transcode.worker.Scratch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long the 3-rung ladder (480p/720p/1080p HLS + the progressive MP4) of a 1080p30 source
 * takes through the service pipeline, compared with the same work done other ways (see
 * docs/benchmarks-transcode.md for the definitions). Not a test: run it with bench/run-benchmark.sh.
 * <p>Arguments: [source seconds=10] [repeats=2] [preset=veryfast] [source=camera|synthetic|both]
 * [variants=all|playable|storyboard|audio|extras] ({@code playable}: only time-to-first-playable against
 * time-to-READY; {@code storyboard}: only the ladder with and without its storyboard; {@code audio}: only the
 * ladder with and without its audio-only outputs; {@code extras}: only the ladder without extras, with the
 * storyboard, with the audio-only outputs and with both, and the bytes each output of one video takes;
 * {@code all} runs the extras' part too).
 * Each variant runs {@code repeats} times: the best wall time counts, and the least CPU time
 * (user+sys of the ffmpeg/ffprobe processes, from /proc) is shown beside it because the machine
 * may be shared. With {@code CLIPFLOW_BENCH_RESULTS} set, {@code key=value} lines are appended to
 * that file (the first source's figures under {@code transcode.*}, every source's also under
 * {@code transcode.<source>.*}).
 */
public final class LadderBenchmark {

    private static final List<String> LADDER = List.of("480:1400", "720:2800", "1080:5000");
    private static final int SEGMENT = 4;
    private static final int CRF = 23;
    private static final int AUDIO = 128;
    private static final int FPS = 30;
    private static final int GOP = FPS * SEGMENT;

    /** A variant's best wall time and least CPU time over the repeats. */
    record Time(double wall, double cpu) {
    }

    private LadderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String preset = args.length > 2 ? args[2] : "veryfast";
        String which = args.length > 3 ? args[3] : "camera";
        boolean onlyPlayable = args.length > 4 && args[4].equals("playable");
        boolean onlyStoryboard = args.length > 4 && args[4].equals("storyboard");
        boolean onlyAudio = args.length > 4 && args[4].equals("audio");
        boolean onlyExtras = args.length > 4 && args[4].equals("extras");
        List<String> sources = switch (which) {
            case "both" -> List.of("camera", "synthetic");
            case "camera", "synthetic" -> List.of(which);
            default -> throw new IllegalArgumentException("source must be camera, synthetic or both: " + which);
        };
        FfmpegBinaries binaries = FfmpegBinaries.bundled();
        String ffmpeg = binaries.ffmpeg().toString();
        // the service's ladder: one pass (decode once, every rung together)
        FfmpegMediaTool.Settings settings = new FfmpegMediaTool.Settings(preset, CRF, AUDIO, SEGMENT, 60, 360);
        FfmpegMediaTool tool = new FfmpegMediaTool(binaries, settings);
        // the same ladder without the storyboard branch (its cost: issue #20's target is within 1.05x)
        FfmpegMediaTool withoutStoryboard = new FfmpegMediaTool(binaries,
                settings.withoutStoryboard());
        LadderPlanner planner = new LadderPlanner(RungSpec.parse(LADDER));
        Map<String, String> results = new LinkedHashMap<>();

        try (Scratch scratch = Scratch.create(Path.of(System.getProperty("java.io.tmpdir")), "ladder-bench")) {
            for (String kind : sources) {
                String load = loadAverage();
                Path source = scratch.resolve("source-" + kind + ".mp4");
                exec(sourceCommand(ffmpeg, kind, seconds, source));
                MediaInfo info = tool.probe(source);
                List<Rung> rungs = planner.plan(info.displayWidth(), info.displayHeight());
                if (rungs.size() != 3) {
                    throw new IllegalStateException("Expected three rungs, got " + rungs);
                }
                System.out.printf(Locale.ROOT, "FFmpeg %s, %s source 1920x1080 %d fps %.1f s H.264/AAC %.1f Mbit/s, "
                        + "ladder %s, preset %s, %d cores, best of %d, load average %s%n", version(ffmpeg), kind, FPS,
                        info.durationSeconds(), info.sizeBytes() * 8 / info.durationSeconds() / 1e6,
                        rungs.stream().map(Rung::name).toList(), preset, Runtime.getRuntime().availableProcessors(),
                        repeats, load);

                if (onlyAudio) {
                    putResults(results, audioOnlyCost(binaries, settings, planner, scratch, source, repeats), kind, sources);
                    continue;
                }
                if (onlyExtras) {
                    putResults(results, extras(binaries, settings, planner, scratch, source, repeats), kind, sources);
                    continue;
                }
                Map<String, Double> figures = new LinkedHashMap<>();
                if (onlyStoryboard) {
                    figures.putAll(storyboard(tool, withoutStoryboard, planner, scratch, source, repeats));
                    putResults(results, figures, kind, sources);
                    continue;
                }
                if (!onlyPlayable) {
                    // the extras with and without (storyboard and audio-only outputs, each and together)
                    figures.putAll(extras(binaries, settings, planner, scratch, source, repeats));
                }
                figures.putAll(playable(tool, planner, scratch, source, repeats));
                if (onlyPlayable) {
                    putResults(results, figures, kind, sources);
                    continue;
                }
                Time decode = best(repeats, () -> exec(decodeOnly(ffmpeg, source)));
                Time scales = best(repeats, () -> exec(decodeAndScales(ffmpeg, source, rungs)));
                // the service and the hand-written command alternate (A B, then B A, ...) so that neither
                // always runs first or last while the machine's background load drifts
                Runnable oursRun = () -> {
                    Path out = fresh(scratch, "ours");
                    MediaInfo probed = tool.probe(source);
                    tool.encodeLadder(source, probed, planner.plan(probed.displayWidth(), probed.displayHeight()), out,
                            Progress.NONE, new Abort());
                };
                Runnable handWrittenRun = () -> exec(oneCommand(ffmpeg, source, rungs, fresh(scratch, "one"), preset));
                Time[] pair = bestAlternating(repeats, oursRun, handWrittenRun);
                Time ours = pair[0];
                Time handWritten = pair[1];
                Time audio = best(repeats, () -> exec(audioOnly(ffmpeg, source)));
                Time separate3 = best(repeats, () -> {
                    Path out = fresh(scratch, "separate3");
                    for (Rung rung : rungs) {
                        exec(naiveRun(ffmpeg, source, rung, out, preset, rung == rungs.get(rungs.size() - 1)));
                    }
                });
                Time hlsOnly3 = best(repeats, () -> {
                    Path out = fresh(scratch, "hls3");
                    for (Rung rung : rungs) {
                        exec(naiveRun(ffmpeg, source, rung, out, preset, false));
                    }
                });
                Time mp4 = best(repeats, () -> exec(mp4Only(ffmpeg, source, rungs.get(rungs.size() - 1),
                        fresh(scratch, "mp4"), preset)));
                Time separate4 = new Time(hlsOnly3.wall() + mp4.wall(), hlsOnly3.cpu() + mp4.cpu());

                line("decode only (ffmpeg -i src -f null -)", decode, "share of ours: wall %.0f %%, cpu %.0f %%",
                        100 * decode.wall() / ours.wall(), 100 * decode.cpu() / ours.cpu());
                line("decode + fps/split/scales, no encode", scales, "share of ours: wall %.0f %%, cpu %.0f %%",
                        100 * scales.wall() / ours.wall(), 100 * scales.cpu() / ours.cpu());
                line("service pipeline (probe+plan+1 ffmpeg, Jaffree)", ours, "realtime x%.2f",
                        info.durationSeconds() / ours.wall());
                line("same ladder, one hand-written ffmpeg command", handWritten,
                        "ours/this = %.3f (target <= 1.05), cpu %.3f", ours.wall() / handWritten.wall(),
                        ours.cpu() / handWritten.cpu());
                line("three separate runs (1080p run tees the MP4)", separate3,
                        "this/ours = %.2fx (target >= 1.8), cpu %.2fx", separate3.wall() / ours.wall(),
                        separate3.cpu() / ours.cpu());
                line("three separate runs, HLS only (no MP4)", hlsOnly3, "this/ours = %.2fx, cpu %.2fx",
                        hlsOnly3.wall() / ours.wall(), hlsOnly3.cpu() / ours.cpu());
                line("four separate runs (3 HLS + MP4)", separate4, "this/ours = %.2fx, cpu %.2fx",
                        separate4.wall() / ours.wall(), separate4.cpu() / ours.cpu());
                // what any decode-once pipeline can save over the three runs: two of the three video decodes and
                // two of the three audio decode+encodes (scaling and every x264 encode happen in both designs)
                double floorCpu = separate3.cpu() - 2 * (decode.cpu() + audio.cpu());
                double ceiling = separate3.cpu() / floorCpu;
                line("audio only (decode + AAC encode, no video)", audio, "");
                System.out.printf(Locale.ROOT, "ceiling of any decode-once design vs the three runs (cpu: three runs minus two "
                        + "decodes and two audio encodes): %.2fx; ours reaches %.2fx of cpu, %.0f %% of the ceiling%n",
                        ceiling, separate3.cpu() / ours.cpu(), 100 * (separate3.cpu() / ours.cpu() - 1) / (ceiling - 1));
                String end = loadAverage();
                System.out.printf(Locale.ROOT, "load average at the end: %s%n%n", end);

                figures.put("service_s", ours.wall());
                figures.put("handwritten_s", handWritten.wall());
                figures.put("ratio_vs_handwritten", ours.wall() / handWritten.wall());
                figures.put("separate3_s", separate3.wall());
                figures.put("ratio_vs_separate3", separate3.wall() / ours.wall());
                figures.put("separate4_s", separate4.wall());
                figures.put("ratio_vs_separate4", separate4.wall() / ours.wall());
                figures.put("realtime_factor", info.durationSeconds() / ours.wall());
                figures.put("separate3_hls_only_s", hlsOnly3.wall());
                figures.put("ratio_vs_separate3_hls_only", hlsOnly3.wall() / ours.wall());
                figures.put("decode_s", decode.wall());
                figures.put("decode_once_ceiling_vs_separate3", ceiling);
                figures.put("audio_cpu_s", audio.cpu());
                figures.put("decode_scale_s", scales.wall());
                figures.put("service_cpu_s", ours.cpu());
                figures.put("handwritten_cpu_s", handWritten.cpu());
                figures.put("separate3_cpu_s", separate3.cpu());
                figures.put("separate3_hls_only_cpu_s", hlsOnly3.cpu());
                figures.put("separate4_cpu_s", separate4.cpu());
                figures.put("decode_cpu_s", decode.cpu());
                figures.put("decode_scale_cpu_s", scales.cpu());
                figures.put("source_seconds", info.durationSeconds());
                figures.put("loadavg_start", Double.parseDouble(load.split(" ")[0]));
                figures.put("loadavg_end", Double.parseDouble(end.split(" ")[0]));
                putResults(results, figures, kind, sources);
            }
        }
        appendResults(results);
    }

    private static void putResults(Map<String, String> results, Map<String, Double> figures, String kind,
            List<String> sources) {
        boolean primary = kind.equals(sources.get(0));
        figures.forEach((key, value) -> {
            String text = String.format(Locale.ROOT, "%.4f", value);
            if (primary) {
                results.put("transcode." + key, text);
            }
            results.put("transcode." + kind + "." + key, text);
        });
    }

    /**
     * The cost of the storyboard: the service's ladder with it (sprite and WebVTT from one more branch of the same
     * filter graph) against the same ladder without it, alternating run by run, best of {@code repeats} each; and
     * what the storyboard adds to the video's storage.
     */
    private static Map<String, Double> storyboard(FfmpegMediaTool with, FfmpegMediaTool without, LadderPlanner planner,
            Scratch scratch, Path source, int repeats) throws Exception {
        Path[] last = new Path[1];
        Runnable withRun = () -> {
            Path out = fresh(scratch, "storyboard-on");
            MediaInfo probed = with.probe(source);
            with.encodeLadder(source, probed, planner.plan(probed.displayWidth(), probed.displayHeight()), out,
                    Progress.NONE, new Abort());
            last[0] = out;
        };
        Runnable withoutRun = () -> {
            Path out = fresh(scratch, "storyboard-off");
            MediaInfo probed = without.probe(source);
            without.encodeLadder(source, probed, planner.plan(probed.displayWidth(), probed.displayHeight()), out,
                    Progress.NONE, new Abort());
        };
        Time[] pair = bestAlternating(repeats, withRun, withoutRun);
        long sprite = java.nio.file.Files.size(last[0].resolve("storyboard.jpg"));
        long vtt = java.nio.file.Files.size(last[0].resolve("storyboard.vtt"));
        long ladder;
        try (var files = java.nio.file.Files.walk(last[0])) {
            ladder = files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum()
                    - sprite - vtt;
        }
        line("ladder with storyboard (service default)", pair[0], "with/without = %.3f (target <= 1.05), cpu %.3f",
                pair[0].wall() / pair[1].wall(), pair[0].cpu() / pair[1].cpu());
        line("same ladder without storyboard", pair[1], "");
        System.out.printf(Locale.ROOT, "storyboard storage: sprite %d B + vtt %d B = %d B (%.2f %% of the ladder's "
                + "%d B)%n", sprite, vtt, sprite + vtt, 100.0 * (sprite + vtt) / ladder, ladder);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("storyboard_on_s", pair[0].wall());
        figures.put("storyboard_off_s", pair[1].wall());
        figures.put("storyboard_ratio", pair[0].wall() / pair[1].wall());
        figures.put("storyboard_cpu_ratio", pair[0].cpu() / pair[1].cpu());
        figures.put("storyboard_bytes", (double) (sprite + vtt));
        return figures;
    }

    /**
     * Time to first playable and to READY of the service's ladder publishing its segments while ffmpeg writes
     * them (each finished segment and the growing playlist copied into a store folder, as the worker stores them
     * in the local blob store), against the same one-pass ladder with nothing stored during the run (READY
     * before #18: the video played only then); the two alternate run by run, best of {@code repeats} each.
     * First playable: the lowest rendition's first segments and playlist are stored (when the worker announces
     * it). Both include the probe and planning, as in the worker. The READY figures are given twice: when the
     * encode ends, and once the outputs not stored yet are copied too (before #18 the worker stored every file
     * after the encode; now only the MP4, the final playlists and the master remain then).
     */
    private static Map<String, Double> playable(FfmpegMediaTool tool, LadderPlanner planner, Scratch scratch,
            Path source, int repeats) {
        double single = Double.MAX_VALUE;
        double singleCpu = Double.MAX_VALUE;
        double first = Double.MAX_VALUE;
        double full = Double.MAX_VALUE;
        double fullCpu = Double.MAX_VALUE;
        double firstOverFull = Double.MAX_VALUE;
        double singleStored = Double.MAX_VALUE;
        double fullStored = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            for (int k = 0; k < 2; k++) {
                boolean liveTurn = (i % 2 == 0) == (k == 1);
                Path out = fresh(scratch, liveTurn ? "live" : "single");
                Path store = fresh(scratch, "store");
                double cpuBefore = childrenCpuSeconds();
                long t = System.nanoTime();
                long[] firstAt = {0};
                MediaInfo probed = tool.probe(source);
                List<Rung> rungs = planner.plan(probed.displayWidth(), probed.displayHeight());
                SegmentListener publish = growth -> {
                    Path dir = mkdirs(store.resolve("hls").resolve(growth.rendition().name()));
                    try {
                        for (Path segment : growth.segments()) {
                            Files.copy(segment, dir.resolve(segment.getFileName()));
                        }
                        Files.writeString(dir.resolve("index.m3u8"), growth.playlist());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (firstAt[0] == 0 && growth.rendition().name().equals(rungs.get(0).name())) {
                        firstAt[0] = System.nanoTime();
                    }
                };
                tool.encodeLadder(source, probed, rungs, out, Progress.NONE, new Abort(),
                        liveTurn ? publish : SegmentListener.NONE);
                double wall = (System.nanoTime() - t) / 1e9;
                double cpu = childrenCpuSeconds() - cpuBefore;
                // then what the worker stores after the encode: before #18 every file, now what is not stored yet
                storeRest(out, store);
                double stored = (System.nanoTime() - t) / 1e9;
                if (liveTurn) {
                    fullStored = Math.min(fullStored, stored);
                } else {
                    singleStored = Math.min(singleStored, stored);
                }
                if (liveTurn) {
                    double playableAt = (firstAt[0] - t) / 1e9;
                    first = Math.min(first, playableAt);
                    full = Math.min(full, wall);
                    fullCpu = Math.min(fullCpu, cpu);
                    firstOverFull = Math.min(firstOverFull, playableAt / wall);
                } else {
                    single = Math.min(single, wall);
                    singleCpu = Math.min(singleCpu, cpu);
                }
            }
        }
        line("one pass, nothing stored while it runs (READY)", new Time(single, singleCpu), "time-to-READY before #18");
        System.out.printf(Locale.ROOT, "%-52s %7.2f s  first playable / one-pass READY = %.2f (target <= 0.5)%n",
                "segments published: first playable (480p)", first, first / single);
        line("segments published: whole ladder (READY)", new Time(full, fullCpu),
                "this/one pass = %.3f wall, %.3f cpu (target <= 1.0); first/whole %.2f", full / single,
                fullCpu / singleCpu, first / full);
        line("one pass, every output stored after it (READY)", new Time(singleStored, singleCpu),
                "time-to-READY before #18, uploads included");
        line("segments published, the rest stored after (READY)", new Time(fullStored, fullCpu),
                "this/one pass = %.3f wall (target <= 1.0)", fullStored / singleStored);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("one_pass_stored_ready_s", singleStored);
        figures.put("live_stored_ready_s", fullStored);
        figures.put("live_stored_ready_vs_one_pass", fullStored / singleStored);
        figures.put("one_pass_ready_s", single);
        figures.put("one_pass_ready_cpu_s", singleCpu);
        figures.put("first_playable_s", first);
        figures.put("live_ready_s", full);
        figures.put("live_ready_cpu_s", fullCpu);
        figures.put("first_playable_vs_one_pass_ready", first / single);
        figures.put("first_playable_vs_live_ready", firstOverFull);
        figures.put("live_ready_vs_one_pass_ready", full / single);
        figures.put("live_ready_cpu_vs_one_pass", fullCpu / singleCpu);
        return figures;
    }

    /**
     * The benchmark sources, 1920x1080 at 30 fps with a 440 Hz tone. {@code camera}: testsrc2's
     * moving pattern under temporal grain (sensor noise), at a phone camera's 16 Mbit/s; {@code
     * synthetic}: the clean pattern at CRF 18 (flat areas, about 9 Mbit/s).
     */
    private static List<String> sourceCommand(String ffmpeg, String kind, double seconds, Path target) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin"));
        String video = "testsrc2=size=1920x1080:rate=" + FPS + ":duration=" + seconds;
        cmd.addAll(List.of("-f", "lavfi", "-i", kind.equals("camera") ? video + ",noise=alls=6:allf=t" : video,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"));
        cmd.addAll(kind.equals("camera") ? List.of("-b:v", "16M", "-maxrate", "20M", "-bufsize", "20M")
                : List.of("-crf", "18"));
        cmd.addAll(List.of("-c:a", "aac", "-shortest", target.toString()));
        return cmd;
    }

    /**
     * Exactly what the service runs, written out by hand: decode once, split, three scales, three
     * x264 encodes, one AAC encode shared by every output, and the tee muxer writing the MP4 (from
     * the 1080p encode) and the three HLS renditions.
     */
    private static List<String> oneCommand(String ffmpeg, Path source, List<Rung> rungs, Path out, String preset) {
        String graph = graph(rungs);
        StringBuilder tee = new StringBuilder("[select=\\'v:2,a\\':f=mp4:movflags=+faststart]" + out.resolve("video.mp4"));
        List<String> perStream = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            Path dir = mkdirs(out.resolve(r.name()));
            tee.append("|[select=\\'v:").append(i).append(",a\\':f=hls:hls_time=").append(SEGMENT)
                    .append(":hls_playlist_type=event:hls_flags=temp_file:hls_list_size=0:hls_segment_filename=")
                    .append(dir.resolve("seg_%04d.ts")).append(']').append(dir.resolve("index.m3u8"));
            perStream.addAll(List.of("-level:v:" + i, H264Level.option(H264Level.of(r.width(), r.height(), FPS)),
                    "-maxrate:v:" + i, r.videoKbps() + "k", "-bufsize:v:" + i, 2 * r.videoKbps() + "k"));
        }
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin",
                "-threads", "0", "-i", source.toString(), "-filter_complex", graph,
                "-map", "[v0]", "-map", "[v1]", "-map", "[v2]", "-map", "0:a:0",
                "-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(CRF), "-profile:v", "high",
                "-g", String.valueOf(GOP), "-keyint_min", String.valueOf(GOP), "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*" + SEGMENT + ")"));
        cmd.addAll(perStream);
        cmd.addAll(List.of("-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000", "-flags", "+global_header",
                "-max_muxing_queue_size", "1024", "-f", "tee", tee.toString()));
        return cmd;
    }

    /**
     * What a naive worker runs for one rung: a whole decode + scale + x264 + AAC of the source, with
     * ffmpeg's default threading, and the same encoder settings as the service (preset, CRF, cap,
     * level, keyframes). The top rung's run also writes the MP4 through the tee muxer when
     * {@code withMp4}, so that three runs make the same deliverables as the service.
     */
    private static List<String> naiveRun(String ffmpeg, Path source, Rung r, Path out, String preset, boolean withMp4) {
        Path dir = mkdirs(out.resolve(r.name()));
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin",
                "-i", source.toString(),
                "-vf", "fps=30,scale=" + r.width() + ":" + r.height() + ":flags=bicubic,setsar=1,format=yuv420p",
                "-map", "0:v:0", "-map", "0:a:0"));
        cmd.addAll(x264(r, preset));
        cmd.addAll(List.of("-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000"));
        String hls = "hls_time=" + SEGMENT + ":hls_playlist_type=vod:hls_list_size=0:hls_segment_filename="
                + dir.resolve("seg_%04d.ts");
        if (withMp4) {
            cmd.addAll(List.of("-flags", "+global_header", "-f", "tee", "[f=mp4:movflags=+faststart]"
                    + out.resolve("video.mp4") + "|[f=hls:" + hls + "]" + dir.resolve("index.m3u8")));
        } else {
            cmd.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(SEGMENT), "-hls_playlist_type", "vod",
                    "-hls_list_size", "0", "-hls_segment_filename", dir.resolve("seg_%04d.ts").toString(),
                    dir.resolve("index.m3u8").toString()));
        }
        return cmd;
    }

    /** The fourth run of the four-run variant: the MP4 alone, encoding the top rung a second time. */
    private static List<String> mp4Only(String ffmpeg, Path source, Rung r, Path out, String preset) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-nostdin",
                "-i", source.toString(),
                "-vf", "fps=30,scale=" + r.width() + ":" + r.height() + ":flags=bicubic,setsar=1,format=yuv420p",
                "-map", "0:v:0", "-map", "0:a:0"));
        cmd.addAll(x264(r, preset));
        cmd.addAll(List.of("-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000", "-movflags", "+faststart",
                out.resolve("video.mp4").toString()));
        return cmd;
    }

    private static List<String> x264(Rung r, String preset) {
        return List.of("-c:v", "libx264", "-preset", preset, "-crf", String.valueOf(CRF), "-profile:v", "high",
                "-level:v", H264Level.option(H264Level.of(r.width(), r.height(), FPS)),
                "-maxrate", r.videoKbps() + "k", "-bufsize", 2 * r.videoKbps() + "k",
                "-g", String.valueOf(GOP), "-keyint_min", String.valueOf(GOP), "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*" + SEGMENT + ")");
    }

    private static List<String> audioOnly(String ffmpeg, Path source) {
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-i", source.toString(), "-map", "0:a:0",
                "-c:a", "aac", "-b:a", AUDIO + "k", "-ac", "2", "-ar", "48000", "-f", "null", "-");
    }

    private static List<String> decodeOnly(String ffmpeg, Path source) {
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-threads", "0", "-i",
                source.toString(), "-map", "0:v:0", "-f", "null", "-");
    }

    /** The service's filter graph: decode once, split, each rung scaled from the source. */
    private static String graph(List<Rung> rungs) {
        StringBuilder graph = new StringBuilder("[0:v]fps=30.000,split=3[s0][s1][s2]");
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(":flags=bicubic,setsar=1,format=yuv420p[v").append(i).append(']');
        }
        return graph.toString();
    }

    /**
     * What the audio-only outputs cost (issue #20): the service's ladder ({@link FfmpegMediaTool#encodeLadder}, as
     * the worker runs it) with and without its audio-only download and HLS variant (the same AAC encode muxed twice
     * more), alternating run by run, best of {@code repeats} each.
     */
    private static Map<String, Double> audioOnlyCost(FfmpegBinaries binaries, FfmpegMediaTool.Settings settings,
            LadderPlanner planner, Scratch scratch, Path source, int repeats) {
        FfmpegMediaTool tool = new FfmpegMediaTool(binaries, settings);
        FfmpegMediaTool without = new FfmpegMediaTool(binaries, settings.withoutAudioOnly());
        Time[] times = bestRotating(repeats, List.of(ladder(tool, planner, scratch, source, "with-audio-only"),
                ladder(without, planner, scratch, source, "without-audio-only")));
        line("ladder with audio-only (m4a + HLS variant)", times[0], "with/without = %.3f, cpu %.3f",
                times[0].wall() / times[1].wall(), times[0].cpu() / times[1].cpu());
        line("ladder without audio-only outputs", times[1], "");
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("audio_only.with_s", times[0].wall());
        figures.put("audio_only.without_s", times[1].wall());
        figures.put("audio_only.ratio", times[0].wall() / times[1].wall());
        figures.put("audio_only.with_cpu_s", times[0].cpu());
        figures.put("audio_only.without_cpu_s", times[1].cpu());
        figures.put("audio_only.cpu_ratio", times[0].cpu() / times[1].cpu());
        return figures;
    }

    /**
     * Transcode time with and without the extras (issue #20: storyboard, audio-only download and variant): the
     * service's ladder without either, with the storyboard, with the audio-only outputs and with both (the service's
     * default), in rotating order run by run, best of {@code repeats} each, as ratios to the first; then the bytes
     * one video takes in the store, output by output (original, MP4, HLS renditions, audio-only variant, audio-only
     * download, storyboard, thumbnail), from a run with everything.
     */
    private static Map<String, Double> extras(FfmpegBinaries binaries, FfmpegMediaTool.Settings all,
            LadderPlanner planner, Scratch scratch, Path source, int repeats) throws IOException {
        FfmpegMediaTool tool = new FfmpegMediaTool(binaries, all);
        List<String> names = List.of("none", "storyboard", "audio_only", "both");
        List<FfmpegMediaTool> tools = List.of(
                new FfmpegMediaTool(binaries, all.withoutStoryboard().withoutAudioOnly()),
                new FfmpegMediaTool(binaries, all.withoutAudioOnly()),
                new FfmpegMediaTool(binaries, all.withoutStoryboard()), tool);
        List<Runnable> runs = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            runs.add(ladder(tools.get(k), planner, scratch, source, "extras-" + names.get(k)));
        }
        Time[] times = bestRotating(repeats, runs);
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            line("ladder, extras: " + names.get(k), times[k], k == 0 ? "(baseline)" : "/baseline = %.3f, cpu %.3f",
                    times[k].wall() / times[0].wall(), times[k].cpu() / times[0].cpu());
            figures.put("extras." + names.get(k) + "_s", times[k].wall());
            figures.put("extras." + names.get(k) + "_cpu_s", times[k].cpu());
            if (k > 0) {
                figures.put("extras." + names.get(k) + "_ratio", times[k].wall() / times[0].wall());
                figures.put("extras." + names.get(k) + "_cpu_ratio", times[k].cpu() / times[0].cpu());
            }
        }
        // one video's storage, output by output, as the worker stores it (the thumbnail is a separate short run)
        Path out = scratch.resolve("extras-both");
        MediaInfo mp4 = tool.probe(out.resolve("video.mp4"));
        tool.thumbnail(out.resolve("video.mp4"), mp4, null, out.resolve("thumbnail.jpg"), new Abort());
        Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put("original", Files.size(source));
        bytes.put("mp4", Files.size(out.resolve("video.mp4")));
        bytes.put("renditions", treeBytes(out.resolve("hls")) - treeBytes(out.resolve("hls").resolve(LadderCommand.AUDIO_RENDITION)));
        bytes.put("audio_variant", treeBytes(out.resolve("hls").resolve(LadderCommand.AUDIO_RENDITION)));
        bytes.put("audio_m4a", Files.size(out.resolve(LadderCommand.AUDIO_FILE)));
        bytes.put("storyboard", Files.size(out.resolve("storyboard.jpg")) + Files.size(out.resolve("storyboard.vtt")));
        bytes.put("thumbnail", Files.size(out.resolve("thumbnail.jpg")));
        long total = bytes.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "storage of one video (%d B in all):%n", total);
        bytes.forEach((what, size) -> {
            System.out.printf(Locale.ROOT, "  %-16s %12d B  %6.2f %%%n", what, size, 100.0 * size / total);
            figures.put("extras.bytes." + what, (double) size);
        });
        figures.put("extras.bytes.total", (double) total);
        return figures;
    }

    /** One run of the service's ladder (probe, plan, encode) into a fresh folder {@code name}. */
    private static Runnable ladder(FfmpegMediaTool tool, LadderPlanner planner, Scratch scratch, Path source,
            String name) {
        return () -> {
            Path out = fresh(scratch, name);
            MediaInfo probed = tool.probe(source);
            tool.encodeLadder(source, probed, planner.plan(probed.displayWidth(), probed.displayHeight()), out,
                    Progress.NONE, new Abort());
        };
    }

    private static long treeBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * Runs every variant {@code repeats} times, round by round, each round starting one variant later than the one
     * before (so none always runs first while the machine's load drifts); the best of each.
     */
    private static Time[] bestRotating(int repeats, List<Runnable> runs) {
        int n = runs.size();
        Time[] best = new Time[n];
        java.util.Arrays.fill(best, new Time(Double.MAX_VALUE, Double.MAX_VALUE));
        for (int i = 0; i < repeats; i++) {
            for (int k = 0; k < n; k++) {
                int which = (i + k) % n;
                Time t = best(1, runs.get(which));
                best[which] = new Time(Math.min(best[which].wall(), t.wall()), Math.min(best[which].cpu(), t.cpu()));
            }
        }
        return best;
    }

    /** The service's filter graph into null outputs: everything but the encodes. */
    private static List<String> decodeAndScales(String ffmpeg, Path source, List<Rung> rungs) {
        String graph = graph(rungs);
        return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-threads", "0", "-i",
                source.toString(), "-filter_complex", graph, "-map", "[v0]", "-f", "null", "-", "-map", "[v1]",
                "-f", "null", "-", "-map", "[v2]", "-f", "null", "-");
    }

    private static void line(String what, Time time, String format, Object... args) {
        System.out.printf(Locale.ROOT, "%-50s %7.2f s  cpu %7.2f s  %s%n", what, time.wall(), time.cpu(),
                String.format(Locale.ROOT, format, args));
    }

    /** Runs {@code a} and {@code b} {@code repeats} times each, alternating which goes first; the best of each. */
    private static Time[] bestAlternating(int repeats, Runnable a, Runnable b) {
        Time[] best = {new Time(Double.MAX_VALUE, Double.MAX_VALUE), new Time(Double.MAX_VALUE, Double.MAX_VALUE)};
        Runnable[] runs = {a, b};
        for (int i = 0; i < repeats; i++) {
            for (int k = 0; k < 2; k++) {
                int which = i % 2 == 0 ? k : 1 - k;
                Time t = best(1, runs[which]);
                best[which] = new Time(Math.min(best[which].wall(), t.wall()), Math.min(best[which].cpu(), t.cpu()));
            }
        }
        return best;
    }

    private static Time best(int repeats, Runnable run) {
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            double cpuBefore = childrenCpuSeconds();
            long t = System.nanoTime();
            run.run();
            wall = Math.min(wall, (System.nanoTime() - t) / 1e9);
            cpu = Math.min(cpu, childrenCpuSeconds() - cpuBefore);
        }
        return new Time(wall, cpu);
    }

    /**
     * User + system CPU seconds of this JVM's finished child processes (ffmpeg, ffprobe), from the
     * cutime and cstime fields of /proc/self/stat (clock ticks of 1/100 s on Linux).
     */
    static double childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields from the third one on: cutime is field 16, cstime field 17 (1-based)
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "? ? ?";
        }
    }

    private static void appendResults(Map<String, String> results) throws IOException {
        String file = System.getenv("CLIPFLOW_BENCH_RESULTS");
        if (file == null || file.isBlank()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        results.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path path = Path.of(file);
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Files.writeString(path, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("results appended to " + path);
    }

    private static void exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("Command failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Copies every file under {@code out} that {@code store} has not got yet (by relative path) into it. */
    private static void storeRest(Path out, Path store) {
        try (var files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = out.relativize(file).toString();
                if (relative.endsWith(".tmp")) {
                    continue;
                }
                Path target = store.resolve(relative);
                if (!Files.exists(target) || relative.endsWith(".m3u8")) {
                    mkdirs(target.getParent());
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
