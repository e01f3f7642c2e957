package dev.clipflow.transcode.media;

import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command of a merge, built without running anything: every input scaled and padded to the first
 * one's (even) display size and frame rate, square pixels, 48 kHz stereo audio (silence for an input without
 * audio), each cut to its probed duration, then {@code concat}; x264 CRF 18 and AAC 192k in a faststart MP4.
 *
 * @param filterGraph the {@code -filter_complex} graph (inputs in order, {@code [v][a]} out)
 * @param outputArguments the MP4 output's arguments, before its path
 * @param totalSeconds the length of the result (the progress of the pass is measured against it)
 */
public record MergeCommand(String filterGraph, List<String> outputArguments, double totalSeconds) {

    /**
     * @param infos the inputs, in order
     * @param frameRate the output frame rate (the first input's, capped)
     */
    public static MergeCommand of(List<MediaInfo> infos, double frameRate) {
        if (infos.size() < 2) {
            throw MediaException.permanent("A merge needs two or more videos.");
        }
        MediaInfo first = infos.get(0);
        int width = even(first.displayWidth());
        int height = even(first.displayHeight());
        String rate = String.format(Locale.ROOT, "%.3f", frameRate);
        StringBuilder graph = new StringBuilder();
        StringBuilder concat = new StringBuilder();
        double total = 0;
        for (int i = 0; i < infos.size(); i++) {
            MediaInfo info = infos.get(i);
            String d = String.format(Locale.ROOT, "%.6f", info.durationSeconds());
            total += info.durationSeconds();
            graph.append('[').append(i).append(":v]scale=").append(width).append(':').append(height)
                    .append(":force_original_aspect_ratio=decrease,pad=").append(width).append(':').append(height)
                    .append(":(ow-iw)/2:(oh-ih)/2,setsar=1,fps=").append(rate)
                    .append(",format=yuv420p,trim=duration=").append(d).append(",setpts=PTS-STARTPTS[v")
                    .append(i).append("];");
            if (info.hasAudio()) {
                graph.append('[').append(i).append(":a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,")
                        .append("apad,atrim=duration=").append(d).append(",asetpts=PTS-STARTPTS[a").append(i)
                        .append("];");
            } else {
                graph.append("anullsrc=r=48000:cl=stereo,atrim=duration=").append(d)
                        .append(",asetpts=PTS-STARTPTS[a").append(i).append("];");
            }
            concat.append("[v").append(i).append("][a").append(i).append(']');
        }
        graph.append(concat).append("concat=n=").append(infos.size()).append(":v=1:a=1[v][a]");
        return new MergeCommand(graph.toString(), List.of("-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset",
                "veryfast", "-crf", "18", "-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart"), total);
    }

    private static int even(int value) {
        return Math.max(2, value - value % 2);
    }
}
