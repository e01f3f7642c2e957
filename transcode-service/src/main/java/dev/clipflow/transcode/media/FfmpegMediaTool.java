package dev.clipflow.transcode.media;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Packet;
import com.github.kokorin.jaffree.ffprobe.SideData;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.log.LogMessage;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import dev.clipflow.transcode.config.TranscodeConfig;
import dev.clipflow.transcode.ladder.Rung;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link MediaTool} on the ffmpeg/ffprobe executables, driven by Jaffree: the runner. The arguments of each pass
 * come from pure builders that unit tests read without running ffmpeg ({@link LadderCommand} with its
 * {@link Storyboard} branch, {@link ThumbnailCommand}, {@link TrimCommand}, {@link MergeCommand},
 * {@link ProbeCommand}); here they are run under the wall-time limit, with progress, abort, tracing and the
 * reading of ffprobe's answer.
 */
@ApplicationScoped
public class FfmpegMediaTool implements MediaTool {

    /**
     * Encoding settings the tool needs; a subset of the service configuration.
     *
     * @param storyboard whether the ladder pass also makes the storyboard ({@link Storyboard})
     * @param audioOnly whether the ladder pass of a source with audio also muxes the audio-only download and the
     *     audio-only HLS variant (always in the service; off only for the benchmark's baseline)
     */
    public record Settings(String preset, int crf, int audioKbps, int segmentSeconds, int maxFrameRate,
            int thumbnailHeight, boolean storyboard, boolean audioOnly) {

        /** With storyboards and the audio-only outputs. */
        public Settings(String preset, int crf, int audioKbps, int segmentSeconds, int maxFrameRate,
                int thumbnailHeight) {
            this(preset, crf, audioKbps, segmentSeconds, maxFrameRate, thumbnailHeight, true, true);
        }

        public static Settings of(TranscodeConfig config) {
            return new Settings(config.preset(), config.crf(), config.audioKbps(), config.segmentSeconds(),
                    config.maxFrameRate(), config.thumbnailHeight(), true, true);
        }

        /** The same without storyboards (the benchmark's baseline). */
        public Settings withoutStoryboard() {
            return new Settings(preset, crf, audioKbps, segmentSeconds, maxFrameRate, thumbnailHeight, false,
                    audioOnly);
        }

        /** The same without the audio-only outputs (the benchmark's baseline). */
        public Settings withoutAudioOnly() {
            return new Settings(preset, crf, audioKbps, segmentSeconds, maxFrameRate, thumbnailHeight, storyboard,
                    false);
        }
    }

    /** How often the renditions being written are looked at for finished segments. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    /** No limit worth the name: for tools and benchmarks outside the service. */
    private static final TranscodeLimits UNLIMITED = new TranscodeLimits(Duration.ofDays(365), Long.MAX_VALUE,
            Long.MAX_VALUE, 1000, Duration.ofDays(1));

    private final FfmpegBinaries binaries;
    private final Settings settings;
    private final TranscodeLimits limits;
    private Tracer tracer = OpenTelemetry.noop().getTracer("dev.clipflow.transcode");

    @jakarta.inject.Inject
    public FfmpegMediaTool(FfmpegBinaries binaries, TranscodeConfig config,
            jakarta.enterprise.inject.Instance<OpenTelemetry> telemetry) {
        this(binaries, Settings.of(config), TranscodeLimits.of(config.limits()));
        if (telemetry.isResolvable()) {
            this.tracer = telemetry.get().getTracer("dev.clipflow.transcode");
        }
    }

    public FfmpegMediaTool(FfmpegBinaries binaries, Settings settings) {
        this(binaries, settings, UNLIMITED);
    }

    /** @param limits the wall time of each ffmpeg and ffprobe run (the source limits are the job's to check) */
    public FfmpegMediaTool(FfmpegBinaries binaries, Settings settings, TranscodeLimits limits) {
        this.binaries = binaries;
        this.settings = settings;
        this.limits = limits;
    }

    @Override
    public MediaInfo probe(Path file) {
        FFprobeResult result;
        try {
            result = probed(ffprobe(file, ProbeCommand.MEDIA));
        } catch (JaffreeException e) {
            throw MediaException.permanent("The file is not a readable video (" + reason(e, "ffprobe failed") + ").");
        }
        Stream video = result.getStreams().stream()
                .filter(s -> s.getCodecType() == StreamType.VIDEO && !isAttachedPicture(s))
                .findFirst()
                .orElseThrow(() -> MediaException.permanent("The file has no video stream."));
        Stream audio = result.getStreams().stream().filter(s -> s.getCodecType() == StreamType.AUDIO)
                .findFirst().orElse(null);
        if (video.getWidth() == null || video.getHeight() == null || video.getWidth() < 1 || video.getHeight() < 1) {
            throw MediaException.permanent("The video stream has no picture size.");
        }
        double duration = result.getFormat() != null && result.getFormat().getDuration() != null
                ? result.getFormat().getDuration()
                : video.getDuration() != null ? video.getDuration() : 0;
        if (!(duration > 0)) {
            throw MediaException.permanent("The video has no duration (it may be truncated).");
        }
        double fps = video.getAvgFrameRate() != null && video.getAvgFrameRate().doubleValue() > 0
                && Double.isFinite(video.getAvgFrameRate().doubleValue())
                ? video.getAvgFrameRate().doubleValue() : 0;
        long size = result.getFormat() != null && result.getFormat().getSize() != null ? result.getFormat().getSize()
                : sizeOf(file);
        return new MediaInfo(duration, result.getFormat() == null ? null : result.getFormat().getFormatName(),
                video.getCodecName(), audio == null ? null : audio.getCodecName(), video.getWidth(),
                video.getHeight(), rotation(video), fps, size, sampleAspect(video));
    }

    @Override
    public LadderOutput encodeLadder(Path input, MediaInfo info, List<Rung> rungs, Path outDir, Progress progress,
            Abort abort, SegmentListener segments) {
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("No rung to encode");
        }
        createDirectories(outDir.resolve("hls"));
        for (Rung rung : rungs) {
            createDirectories(outDir.resolve("hls").resolve(rung.name()));
        }
        boolean audioOnly = info.hasAudio() && settings.audioOnly();
        if (audioOnly) {
            createDirectories(outDir.resolve("hls").resolve(LadderCommand.AUDIO_RENDITION));
        }
        double fps = outputFrameRate(info);
        List<String> codecs = new ArrayList<>();
        List<LadderOutput.Rendition> planned = new ArrayList<>();
        for (Rung r : rungs) {
            codecs.add(H264Level.highProfileCodec(H264Level.of(r.width(), r.height(), fps))
                    + (info.hasAudio() ? ",mp4a.40.2" : ""));
            planned.add(new LadderOutput.Rendition(r.name(), r.width(), r.height(), 0, 0, codecs.get(codecs.size() - 1)));
        }
        LiveLadder live = new LiveLadder(outDir.resolve("hls"), planned, fps, segments);
        encodePass(input, info, rungs, outDir, fps, progress, abort, live::poll);
        List<LadderOutput.Rendition> renditions = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            HlsPlaylists.endAsVod(outDir.resolve("hls").resolve(rungs.get(i).name()).resolve("index.m3u8"));
            renditions.add(rendition(outDir, rungs.get(i), codecs.get(i)));
        }
        long[] audioVariant = null;
        if (audioOnly) {
            Path audio = outDir.resolve("hls").resolve(LadderCommand.AUDIO_RENDITION).resolve("index.m3u8");
            HlsPlaylists.endAsVod(audio);
            audioVariant = HlsPlaylists.bandwidth(audio);
        }
        writeString(outDir.resolve("hls").resolve("master.m3u8"), HlsPlaylists.master(renditions, fps, audioVariant));
        return new LadderOutput(outDir, renditions, codecs.get(codecs.size() - 1));
    }

    private static LadderOutput.Rendition rendition(Path outDir, Rung r, String codecs) {
        long[] bandwidth = HlsPlaylists.bandwidth(outDir.resolve("hls").resolve(r.name()).resolve("index.m3u8"));
        return new LadderOutput.Rendition(r.name(), r.width(), r.height(), bandwidth[0], bandwidth[1], codecs);
    }

    /**
     * One ffmpeg process decoding {@code input} once and writing the HLS renditions of {@code rungs} with
     * aligned keyframes (growing EVENT playlists, each segment renamed into place once complete) and the MP4
     * from the last (top) rung's encode; {@code watch} runs every {@link #WATCH_INTERVAL} while it does.
     */
    private void encodePass(Path input, MediaInfo info, List<Rung> rungs, Path outDir, double fps,
            Progress progress, Abort abort, Runnable watch) {
        Storyboard storyboard = settings.storyboard()
                ? Storyboard.of(info.durationSeconds(), rungs.get(0).width(), rungs.get(0).height()) : null;
        LadderCommand command = LadderCommand.of(settings, rungs, info.hasAudio(), fps, outDir, storyboard);
        UrlOutput output = UrlOutput.toUrl(command.teeTarget()).setFormat("tee");
        command.outputArguments().forEach(output::addArgument);
        KillableFFmpeg ffmpeg = ffmpeg();
        ffmpeg.addInput(UrlInput.fromPath(input)).setComplexFilter(command.filterGraph()).addOutput(output);
        if (storyboard != null) {
            createDirectories(command.sprite().getParent());
            UrlOutput sprite = UrlOutput.toUrl(command.sprite().toString());
            command.spriteArguments().forEach(sprite::addArgument);
            ffmpeg.addOutput(sprite);
        }
        run(ffmpeg, info.durationSeconds(), progress, abort, "Transcoding",
                String.join(",", rungs.stream().map(Rung::name).toList()), watch);
        if (storyboard != null) {
            Path sprite = outDir.resolve(Storyboard.SPRITE);
            if (Files.isRegularFile(command.sprite().resolveSibling("001.jpg"))) {
                KillableFFmpeg tile = ffmpeg();
                List<String> args = storyboard.spriteArguments(command.sprite(), sprite.toAbsolutePath());
                UrlOutput out = UrlOutput.toPath(sprite.toAbsolutePath());
                args.subList(args.indexOf("-vf"), args.size() - 1).forEach(out::addArgument);
                tile.addInput(UrlInput.fromUrl(command.sprite().toString()).setFormat("image2")
                        .addArguments("-framerate", "1").addArguments("-start_number", "1")).addOutput(out);
                run(tile, 0, Progress.NONE, abort, "Laying out the storyboard");
            }
            if (!Files.isRegularFile(sprite) || sizeOf(sprite) == 0) {
                throw new MediaException("Transcoding made no storyboard.", false, null);
            }
            writeString(outDir.resolve(Storyboard.VTT), storyboard.vtt());
        }
    }

    @Override
    public void thumbnail(Path input, MediaInfo info, Double atSeconds, Path target, Abort abort) {
        createDirectories(target.toAbsolutePath().getParent());
        ThumbnailCommand command = ThumbnailCommand.of(settings.thumbnailHeight(), info, atSeconds);
        thumbnail(input, command, target, abort);
        if (!Files.exists(target) || sizeOf(target) == 0) {
            if (command.positionMillis() > 0) {
                thumbnail(input, ThumbnailCommand.of(settings.thumbnailHeight(), info, 0.0), target, abort);
            }
            if (!Files.exists(target) || sizeOf(target) == 0) {
                throw MediaException.permanent("No picture could be decoded for the thumbnail.");
            }
        }
    }

    private void thumbnail(Path input, ThumbnailCommand command, Path target, Abort abort) {
        UrlOutput output = UrlOutput.toPath(target);
        command.outputArguments().forEach(output::addArgument);
        KillableFFmpeg ffmpeg = ffmpeg();
        ffmpeg.addInput(UrlInput.fromPath(input).setPosition(command.positionMillis())).addOutput(output);
        run(ffmpeg, 0, Progress.NONE, abort, "Making the thumbnail");
    }

    @Override
    public boolean trim(Path input, MediaInfo info, double startSeconds, double endSeconds, Path target,
            Progress progress, Abort abort) {
        TrimCommand.checkRange(info, startSeconds, endSeconds);
        createDirectories(target.toAbsolutePath().getParent());
        TrimCommand command = TrimCommand.of(info, startSeconds, endSeconds, keyframes(input));
        UrlOutput output = UrlOutput.toPath(target);
        command.outputArguments().forEach(output::addArgument);
        KillableFFmpeg ffmpeg = ffmpeg();
        ffmpeg.addInput(UrlInput.fromPath(input).setPosition(command.positionMillis())).addOutput(output);
        run(ffmpeg, command.lengthSeconds(), progress, abort, "Trimming");
        return command.copy();
    }

    @Override
    public void merge(List<Path> inputs, List<MediaInfo> infos, Path target, Progress progress, Abort abort) {
        if (inputs.size() < 2 || inputs.size() != infos.size()) {
            throw MediaException.permanent("A merge needs two or more videos.");
        }
        createDirectories(target.toAbsolutePath().getParent());
        MergeCommand command = MergeCommand.of(infos, outputFrameRate(infos.get(0)));
        KillableFFmpeg ffmpeg = ffmpeg();
        inputs.forEach(input -> ffmpeg.addInput(UrlInput.fromPath(input)));
        UrlOutput output = UrlOutput.toPath(target);
        command.outputArguments().forEach(output::addArgument);
        ffmpeg.setComplexFilter(command.filterGraph()).addOutput(output);
        run(ffmpeg, command.totalSeconds(), progress, abort, "Merging");
    }

    @Override
    public List<Double> keyframes(Path file) {
        try {
            FFprobeResult result = probed(ffprobe(file, ProbeCommand.KEYFRAMES));
            List<Double> times = new ArrayList<>();
            for (Packet packet : result.getPackets()) {
                if (packet.getFlags() != null && packet.getFlags().startsWith("K") && packet.getPtsTime() != null) {
                    times.add(packet.getPtsTime().doubleValue());
                }
            }
            times.sort(Double::compare);
            return times;
        } catch (JaffreeException e) {
            throw MediaException.permanent("The file is not a readable video (" + reason(e, "ffprobe failed") + ").");
        }
    }

    private double outputFrameRate(MediaInfo info) {
        double fps = info.frameRate() > 0 && info.frameRate() < 1000 ? info.frameRate() : 30;
        fps = Math.min(fps, settings.maxFrameRate());
        return Math.round(fps * 1000) / 1000.0;
    }

    /**
     * Runs ffprobe for at most the limits' wall-time base; past it the probe is cancelled, which interrupts
     * Jaffree's runner and so destroys the process (a probe that never ends would hold the worker for ever).
     */
    private FFprobeResult probed(FFprobe probe) {
        java.util.concurrent.Future<FFprobeResult> future = probe.executeAsync();
        try {
            return future.get(limits.wallTimeBase().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw MediaException.permanent("Analysing the file took longer than its limit of "
                    + Math.max(1, (limits.wallTimeBase().toMillis() + 999) / 1000) + " s.");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Abort.AbortedException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JaffreeException jaffree) {
                throw jaffree;
            }
            throw new JaffreeException("ffprobe failed", e.getCause());
        }
    }

    private FFprobe ffprobe(Path file, List<String> arguments) {
        FFprobe probe = new FFprobe(binaries.ffprobe()).setInput(file);
        arguments.forEach(probe::addArgument);
        return probe;
    }

    private KillableFFmpeg ffmpeg() {
        KillableFFmpeg ffmpeg = new KillableFFmpeg(binaries.ffmpeg(), binaries.deathSignalWrapper());
        ffmpeg.setOverwriteOutput(true).addArgument("-nostdin").addArguments("-threads", "0");
        return ffmpeg;
    }

    /**
     * Runs ffmpeg until it exits, at most the limits' wall time for {@code durationSeconds} of media: past
     * it the process is killed and a permanent {@link MediaException} names the limit. An abort kills the
     * process and waits for it to be gone (so the caller may delete the scratch folder), then throws
     * {@link Abort.AbortedException}.
     */
    private void run(KillableFFmpeg ffmpeg, double durationSeconds, Progress progress, Abort abort, String step) {
        run(ffmpeg, durationSeconds, progress, abort, step, null, null);
    }

    /**
     * {@link #runLimited} in a span of its own ({@code ffmpeg <step>}: the step, the rungs it encodes,
     * the media duration, ffmpeg's exit status and outcome, the realtime factor), a child of the job's
     * span; the realtime factor (media seconds per wall-clock second) of a pass that succeeded also goes
     * to {@code clipflow.transcode.ffmpeg.realtime.factor{step}}.
     */
    private void run(KillableFFmpeg ffmpeg, double durationSeconds, Progress progress, Abort abort, String step,
            String rungs, Runnable watch) {
        Span span = tracer.spanBuilder("ffmpeg " + step.toLowerCase(Locale.ROOT))
                .setAttribute(AttributeKey.stringKey("clipflow.ffmpeg.step"), step)
                .setAttribute(AttributeKey.doubleKey("clipflow.media.duration_seconds"), durationSeconds)
                .startSpan();
        if (rungs != null) {
            span.setAttribute(AttributeKey.stringKey("clipflow.ffmpeg.rungs"), rungs);
        }
        long started = System.nanoTime();
        String outcome = "failed";
        try (Scope scope = span.makeCurrent()) {
            runLimited(ffmpeg, durationSeconds, progress, abort, step, watch);
            outcome = "succeeded";
        } catch (Abort.AbortedException e) {
            outcome = "aborted";
            throw e;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            double seconds = (System.nanoTime() - started) / 1e9;
            span.setAttribute(AttributeKey.stringKey("clipflow.ffmpeg.outcome"), outcome);
            Process process = ffmpeg.started().getNow(null);
            if (process != null && !process.isAlive()) {
                span.setAttribute(AttributeKey.longKey("process.exit.code"), (long) process.exitValue());
            }
            if ("succeeded".equals(outcome) && durationSeconds > 0 && seconds > 0) {
                double factor = durationSeconds / seconds;
                span.setAttribute(AttributeKey.doubleKey("clipflow.ffmpeg.realtime_factor"), factor);
                DistributionSummary.builder("clipflow.transcode.ffmpeg.realtime.factor")
                        .description("Seconds of media ffmpeg processed per second of wall-clock time, per pass")
                        .tag("step", step.toLowerCase(Locale.ROOT).replace(' ', '_'))
                        .register(Metrics.globalRegistry).record(factor);
            }
            span.end();
        }
    }

    /**
     * @param watch run every {@link #WATCH_INTERVAL} while ffmpeg runs (on this thread), and once more after a
     *        clean exit; when it throws, ffmpeg is killed and the exception goes to the caller. Null: none.
     */
    private void runLimited(KillableFFmpeg ffmpeg, double durationSeconds, Progress progress, Abort abort, String step,
            Runnable watch) {
        abort.check();
        long total = Math.max(1, Math.round(durationSeconds * 1000));
        AtomicBoolean returned = new AtomicBoolean();
        ffmpeg.setProgressListener(p -> {
            Long time = p.getTimeMillis();
            // Jaffree's reader may still report after a clean exit was taken from the process: ignored
            if (!returned.get() && durationSeconds > 0 && time != null && time >= 0) {
                progress.update(Math.min(1.0, time / (double) total));
            }
        });
        Duration wallTime = limits.wallTime(durationSeconds);
        long deadline = System.nanoTime() + wallTime.toNanos();
        FFmpegResultFuture future = ffmpeg.executeAsync();
        abort.running(ffmpeg::kill);
        try {
            // Jaffree completes its future only after polling its reader threads in 100 ms sleeps once the
            // process has exited; a clean exit (status 0) is known at once from the process itself
            CompletableFuture<Boolean> clean = ffmpeg.started().thenCompose(Process::onExit)
                    .thenApply(process -> process.exitValue() == 0);
            CompletableFuture<Object> exited = CompletableFuture.anyOf(clean,
                    future.toCompletableFuture().exceptionally(failure -> null));
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                try {
                    exited.get(watch == null ? left : Math.min(left, WATCH_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (watch != null && System.nanoTime() < deadline) {
                        watched(watch, ffmpeg, future);
                    }
                }
            }
            if (!clean.getNow(false)) {
                future.get(); // a failure (or Jaffree was first): its future carries the reason
            }
            if (watch != null) {
                watched(watch, ffmpeg, future);
            }
        } catch (TimeoutException e) {
            ffmpeg.kill();
            awaitExit(future);
            throw MediaException.permanent(String.format(Locale.ROOT,
                    "%s took longer than its limit of %d s for a video of %d s.", step,
                    Math.max(1, (wallTime.toMillis() + 999) / 1000), Math.round(durationSeconds)));
        } catch (InterruptedException e) {
            ffmpeg.kill();
            awaitExit(future);
            Thread.currentThread().interrupt();
            throw new Abort.AbortedException();
        } catch (ExecutionException e) {
            abort.check();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MediaException(step + " failed: " + reason(cause, "ffmpeg failed") + ".", true, cause);
        } finally {
            abort.running(null);
        }
        returned.set(true);
        abort.check();
        progress.update(1.0);
    }

    /** Runs {@code watch}; when it throws, kills ffmpeg and waits until it is gone before passing the exception on. */
    private static void watched(Runnable watch, KillableFFmpeg ffmpeg, FFmpegResultFuture future) {
        try {
            watch.run();
        } catch (RuntimeException | Error e) {
            ffmpeg.kill();
            awaitExit(future);
            throw e;
        }
    }

    /** Waits (uninterruptibly, at most 10 s) until a killed ffmpeg has exited. */
    private static void awaitExit(FFmpegResultFuture future) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                return;
            } catch (InterruptedException ignored) {
                // keep waiting: the caller restores the flag
            } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException done) {
                return;
            }
        }
    }

    /** The last error lines ffmpeg printed, without paths of this machine. */
    static String reason(Throwable e, String fallback) {
        List<String> lines = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JaffreeAbnormalExitException abnormal) {
                for (LogMessage message : abnormal.getProcessErrorLogMessages()) {
                    if (message.message != null) {
                        lines.addAll(List.of(message.message.split("\n")));
                    }
                }
            }
        }
        String text = lines.stream().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.replaceAll("^(\\[[^\\]]*\\] *)+", ""))
                .map(l -> l.replaceAll("\\S*/[^/\\s:]+:\\s*", ""))
                .map(l -> l.replaceAll("\\S*/", ""))
                .filter(l -> !l.startsWith("Error opening output file"))
                .findFirst().orElse(fallback);
        return text.length() > 300 ? text.substring(0, 300) : text;
    }

    private static boolean isAttachedPicture(Stream stream) {
        return stream.getDisposition() != null && Objects.equals(stream.getDisposition().getAttachedPic(), 1);
    }

    private static double sampleAspect(Stream video) {
        try {
            var sar = video.getSampleAspectRatio();
            return sar == null || sar.doubleValue() <= 0 ? 1 : sar.doubleValue();
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static int rotation(Stream video) {
        Integer rotation = null;
        if (video.getSideDataList() != null) {
            for (SideData side : video.getSideDataList()) {
                if (side.getRotation() != null) {
                    rotation = side.getRotation();
                }
            }
        }
        if (rotation == null && video.getTag("rotate") != null) {
            try {
                rotation = Integer.parseInt(video.getTag("rotate"));
            } catch (NumberFormatException ignored) {
                rotation = 0;
            }
        }
        int value = rotation == null ? 0 : rotation % 360;
        return value < 0 ? value + 360 : value;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
