package dev.clipflow.transcode.media;

import dev.clipflow.transcode.ladder.Rung;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command of a ladder pass, built without running anything (issue #20: the argument building of
 * {@link FfmpegMediaTool} that unit tests read): decode once, {@code fps} and {@code split}, one scale per rung,
 * one x264 encode per rung with keyframes forced on the segment boundaries, one AAC encode shared by every
 * output, and the {@code tee} muxer writing the MP4 from the top rung's encode and one growing HLS rendition
 * (EVENT playlist, {@code temp_file}) per rung. With audio, the same AAC encode also goes (muxed only, not
 * encoded again) to the audio-only download {@code audio.m4a} and the audio-only HLS variant {@code hls/audio/}
 * (unless {@link FfmpegMediaTool.Settings#audioOnly()} is off, the benchmark's baseline).
 * With a {@link Storyboard}, one more branch of the same split ({@link Storyboard#filter()}) goes to a second
 * output: the storyboard's tiles, one JPEG each.
 *
 * @param filterGraph the {@code -filter_complex} graph
 * @param teeTarget the tee muxer's target (its outputs, {@code |}-separated)
 * @param outputArguments the arguments of the one (tee) output, before its target
 * @param sprite the storyboard's tiles (the second output, an image2 pattern beside {@code outDir}, so that
 *     they are not stored), or null without storyboard
 * @param spriteArguments the arguments of the sprite's output, before its path (empty without storyboard)
 */
public record LadderCommand(String filterGraph, String teeTarget, List<String> outputArguments, Path sprite,
        List<String> spriteArguments) {

    /** The folder of the storyboard's tiles, beside the output folder. */
    public static final String TILES = "storyboard-tiles";

    /** The audio-only HLS variant's folder under {@code hls/} (no rung is called so: rung names end in {@code p}). */
    public static final String AUDIO_RENDITION = "audio";

    /** The audio-only download (AAC in an MP4 with the M4A brand, moov first) under the output folder. */
    public static final String AUDIO_FILE = "audio.m4a";

    /** The ladder alone. */
    public static LadderCommand of(FfmpegMediaTool.Settings settings, List<Rung> rungs, boolean audio, double fps,
            Path outDir) {
        return of(settings, rungs, audio, fps, outDir, null);
    }

    /**
     * @param fps the ladder's output frame rate
     * @param audio whether the source has an audio stream
     */
    public static LadderCommand of(FfmpegMediaTool.Settings settings, List<Rung> rungs, boolean audio, double fps,
            Path outDir, Storyboard storyboard) {
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("No rung to encode");
        }
        String rate = String.format(Locale.ROOT, "%.3f", fps);
        int gop = Math.max(1, (int) Math.round(fps * settings.segmentSeconds()));
        int branches = rungs.size() + (storyboard == null ? 0 : 1);
        StringBuilder graph = new StringBuilder("[0:v]fps=").append(rate).append(",split=").append(branches);
        for (int i = 0; i < branches; i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
                    .append(":flags=bicubic,setsar=1,format=yuv420p[v").append(i).append(']');
        }
        if (storyboard != null) {
            graph.append(";[s").append(rungs.size()).append(']').append(storyboard.filter()).append("[sb]");
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            args.addAll(List.of("-map", "[v" + i + "]"));
        }
        if (audio) {
            args.addAll(List.of("-map", "0:a:0"));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", settings.preset(), "-crf", String.valueOf(settings.crf()),
                "-profile:v", "high", "-g", String.valueOf(gop), "-keyint_min", String.valueOf(gop),
                "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*" + settings.segmentSeconds() + ")"));
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            args.addAll(List.of("-level:v:" + i, H264Level.option(H264Level.of(r.width(), r.height(), fps)),
                    "-maxrate:v:" + i, r.videoKbps() + "k", "-bufsize:v:" + i, (2 * r.videoKbps()) + "k"));
        }
        if (audio) {
            args.addAll(List.of("-c:a", "aac", "-b:a", settings.audioKbps() + "k", "-ac", "2", "-ar", "48000"));
        }
        args.addAll(List.of("-flags", "+global_header", "-max_muxing_queue_size", "1024"));
        Path sprite = storyboard == null ? null
                : outDir.toAbsolutePath().resolveSibling(TILES).resolve("%03d.jpg");
        List<String> spriteArgs = storyboard == null ? List.of()
                : List.of("-map", "[sb]", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2");
        return new LadderCommand(graph.toString(), tee(settings, rungs, audio, outDir), List.copyOf(args), sprite,
                spriteArgs);
    }

    /** The whole argument list after the executable, as ffmpeg gets it (besides the runner's own options). */
    public List<String> arguments(Path input) {
        List<String> all = new ArrayList<>(List.of("-i", input.toString(), "-filter_complex", filterGraph));
        all.addAll(outputArguments);
        all.addAll(List.of("-f", "tee", teeTarget));
        if (sprite != null) {
            all.addAll(spriteArguments);
            all.add(sprite.toString());
        }
        return all;
    }

    private static String tee(FfmpegMediaTool.Settings settings, List<Rung> rungs, boolean audio, Path outDir) {
        String a = audio ? ",a" : "";
        int top = rungs.size() - 1;
        StringBuilder tee = new StringBuilder();
        tee.append("[select=\\'v:").append(top).append(a)
                .append("\\':f=mp4:movflags=+faststart]").append(teePath(outDir.resolve("video.mp4")));
        for (int i = 0; i < rungs.size(); i++) {
            Path dir = outDir.resolve("hls").resolve(rungs.get(i).name());
            // EVENT: the playlist is rewritten (atomically) after every segment, so the rendition can be
            // published while it grows; made VOD once ffmpeg has ended it
            tee.append("|[select=\\'v:").append(i).append(a).append("\\':f=hls:hls_time=")
                    .append(settings.segmentSeconds())
                    .append(":hls_playlist_type=event:hls_flags=temp_file:hls_list_size=0:hls_segment_filename=")
                    .append(teePath(dir.resolve("seg_%04d.ts"))).append(']')
                    .append(teePath(dir.resolve("index.m3u8")));
        }
        if (audio && settings.audioOnly()) {
            Path dir = outDir.resolve("hls").resolve(AUDIO_RENDITION);
            tee.append("|[select=a:f=ipod:movflags=+faststart]").append(teePath(outDir.resolve(AUDIO_FILE)));
            tee.append("|[select=a:f=hls:hls_time=").append(settings.segmentSeconds())
                    .append(":hls_playlist_type=event:hls_flags=temp_file:hls_list_size=0:hls_segment_filename=")
                    .append(teePath(dir.resolve("seg_%04d.ts"))).append(']')
                    .append(teePath(dir.resolve("index.m3u8")));
        }
        return tee.toString();
    }

    private static String teePath(Path path) {
        String text = path.toAbsolutePath().toString();
        if (text.matches(".*[\\\\:|\\[\\]'].*")) {
            throw new IllegalArgumentException("Scratch paths must not contain tee special characters: " + text);
        }
        return text;
    }
}
