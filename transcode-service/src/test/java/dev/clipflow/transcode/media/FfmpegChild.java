package dev.clipflow.transcode.media;

import dev.clipflow.transcode.ladder.Rung;

import java.nio.file.Path;
import java.util.List;

/**
 * A transcode JVM in miniature for {@link OrphanFfmpegTest}: runs one ladder encode of its first argument
 * (a FIFO nobody writes to, so ffmpeg waits for ever) into its second, until it is killed.
 */
public final class FfmpegChild {

    private FfmpegChild() {
    }

    public static void main(String[] args) {
        FfmpegMediaTool tool = new FfmpegMediaTool(TestClips.binaries(),
                new FfmpegMediaTool.Settings("ultrafast", 28, 96, 1, 60, 180));
        MediaInfo info = new MediaInfo(60, "mov,mp4,m4a,3gp,3g2,mj2", "h264", null, 320, 240, 0, 25, 1_000_000, 1);
        tool.encodeLadder(Path.of(args[0]), info, List.of(new Rung("240p", 320, 240, 500)), Path.of(args[1]),
                Progress.NONE, new Abort());
    }
}
