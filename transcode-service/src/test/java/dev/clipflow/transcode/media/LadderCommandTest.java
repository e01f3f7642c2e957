package dev.clipflow.transcode.media;

import dev.clipflow.transcode.ladder.Rung;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ladder's ffmpeg command, read without running ffmpeg. */
class LadderCommandTest {

    private static final FfmpegMediaTool.Settings SETTINGS = new FfmpegMediaTool.Settings("veryfast", 23, 128, 4, 60, 360);
    private static final List<Rung> LADDER = List.of(new Rung("480p", 854, 480, 1400), new Rung("720p", 1280, 720, 2800),
            new Rung("1080p", 1920, 1080, 5000));
    private static final Path OUT = Path.of("/scratch/job-1/out");

    @Test
    void decodesOnceAndScalesEveryRungFromOneSplit() {
        LadderCommand command = LadderCommand.of(SETTINGS, LADDER, true, 30, OUT);

        assertThat(command.filterGraph()).isEqualTo("[0:v]fps=30.000,split=3[s0][s1][s2]"
                + ";[s0]scale=854:480:flags=bicubic,setsar=1,format=yuv420p[v0]"
                + ";[s1]scale=1280:720:flags=bicubic,setsar=1,format=yuv420p[v1]"
                + ";[s2]scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p[v2]");
        assertThat(command.arguments(Path.of("/scratch/job-1/source"))).startsWith("-i", "/scratch/job-1/source",
                "-filter_complex", command.filterGraph()).endsWith("-f", "tee", command.teeTarget());
    }

    @Test
    void keyframesFallOnTheSegmentBoundariesAndEachRungIsCappedAtItsLevel() {
        List<String> args = LadderCommand.of(SETTINGS, LADDER, true, 30, OUT).outputArguments();

        assertThat(args).containsSequence("-g", "120", "-keyint_min", "120", "-sc_threshold", "0",
                "-force_key_frames", "expr:gte(t,n_forced*4)");
        assertThat(args).containsSequence("-level:v:0", "3.1", "-maxrate:v:0", "1400k", "-bufsize:v:0", "2800k");
        assertThat(args).containsSequence("-level:v:2", "4.0", "-maxrate:v:2", "5000k", "-bufsize:v:2", "10000k");
        // one AAC encode shared by every output
        assertThat(Collections.frequency(args, "-c:a")).isEqualTo(1);
        assertThat(args).containsSequence("-map", "0:a:0").containsSequence("-c:a", "aac", "-b:a", "128k");
    }

    @Test
    void theMp4IsTheTopRungAndEveryRenditionAGrowingHlsPlaylist() {
        String tee = LadderCommand.of(SETTINGS, LADDER, true, 30, OUT).teeTarget();
        String[] outputs = tee.split("\\|");

        assertThat(outputs).hasSize(6);
        assertThat(outputs[0]).isEqualTo("[select=\\'v:2,a\\':f=mp4:movflags=+faststart]/scratch/job-1/out/video.mp4");
        assertThat(outputs[1]).isEqualTo("[select=\\'v:0,a\\':f=hls:hls_time=4:hls_playlist_type=event"
                + ":hls_flags=temp_file:hls_list_size=0:hls_segment_filename=/scratch/job-1/out/hls/480p/seg_%04d.ts]"
                + "/scratch/job-1/out/hls/480p/index.m3u8");
        assertThat(outputs[3]).contains("select=\\'v:2,a\\'", "/hls/1080p/index.m3u8");
        // the same AAC encode, muxed alone: the .m4a download and the audio-only variant
        assertThat(outputs[4]).isEqualTo("[select=a:f=ipod:movflags=+faststart]/scratch/job-1/out/audio.m4a");
        assertThat(outputs[5]).isEqualTo("[select=a:f=hls:hls_time=4:hls_playlist_type=event"
                + ":hls_flags=temp_file:hls_list_size=0:hls_segment_filename=/scratch/job-1/out/hls/audio/seg_%04d.ts]"
                + "/scratch/job-1/out/hls/audio/index.m3u8");
    }

    /** The benchmark's baseline: the same ladder, its audio shared by the MP4 and the renditions, no audio-only outputs. */
    @Test
    void withoutTheAudioOnlyOutputsTheAacGoesOnlyWithTheVideo() {
        String tee = LadderCommand.of(SETTINGS.withoutAudioOnly(), LADDER, true, 30, OUT).teeTarget();

        assertThat(tee.split("\\|")).hasSize(4).allMatch(o -> o.startsWith("[select=\\'v:"));
        assertThat(tee).contains(",a\\'").doesNotContain("select=a:", "audio.m4a", "/hls/audio/");
    }

    @Test
    void aSourceWithoutAudioMapsAndEncodesNone() {
        LadderCommand command = LadderCommand.of(SETTINGS, LADDER.subList(0, 1), false, 25, OUT);

        assertThat(command.outputArguments()).doesNotContain("-c:a", "0:a:0");
        assertThat(command.teeTarget()).doesNotContain(",a\\'", "select=a", "audio").contains("select=\\'v:0\\'");
        assertThat(command.filterGraph()).startsWith("[0:v]fps=25.000,split=1[s0];");
    }

    @Test
    void pathsTheTeeMuxerWouldMisreadAreRefused() {
        assertThatThrownBy(() -> LadderCommand.of(SETTINGS, LADDER, true, 30, Path.of("/scratch/a|b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tee special characters");
    }

    @Test
    void aStoryboardIsOneMoreBranchOfTheSameSplitWrittenAsOneJpeg() {
        Storyboard board = Storyboard.of(25.3, 854, 480);
        LadderCommand command = LadderCommand.of(SETTINGS, LADDER, true, 30, OUT, board);

        assertThat(command.filterGraph()).startsWith("[0:v]fps=30.000,split=4[s0][s1][s2][s3];")
                .endsWith(";[s3]" + board.filter() + "[sb]");
        // the tiles one JPEG each, beside the output folder (not stored); laid out in a grid afterwards
        assertThat(command.sprite()).isEqualTo(Path.of("/scratch/job-1/storyboard-tiles/%03d.jpg"));
        assertThat(command.arguments(Path.of("/in"))).endsWith("-f", "tee", command.teeTarget(), "-map", "[sb]",
                "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "/scratch/job-1/storyboard-tiles/%03d.jpg");
        assertThat(board.filter()).doesNotContain("tile=");
        assertThat(board.spriteArguments(command.sprite(), Path.of("/scratch/job-1/out/storyboard.jpg")))
                .containsSubsequence("-i", "/scratch/job-1/storyboard-tiles/%03d.jpg", "-vf", "tile=10x2")
                .endsWith("/scratch/job-1/out/storyboard.jpg");
        // the ladder's outputs are the same with or without it
        LadderCommand plain = LadderCommand.of(SETTINGS, LADDER, true, 30, OUT);
        assertThat(command.teeTarget()).isEqualTo(plain.teeTarget());
        assertThat(command.outputArguments()).isEqualTo(plain.outputArguments());
        assertThat(plain.sprite()).isNull();
        assertThat(plain.spriteArguments()).isEmpty();
    }
}
