package dev.clipflow.transcode.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The thumbnail, trim, merge and probe commands, read without running ffmpeg. */
class MediaCommandsTest {

    private static MediaInfo video(double seconds, int width, int height, boolean audio) {
        return new MediaInfo(seconds, "mov,mp4", "h264", audio ? "aac" : null, width, height, 0, 25, 1000, 1);
    }

    @Test
    void aRepresentativeThumbnailLooksAQuarterIntoTheVideoAtMostASecondBeforeItsEnd() {
        ThumbnailCommand command = ThumbnailCommand.of(360, video(20, 1280, 720, true), null);
        assertThat(command.positionMillis()).isEqualTo(5000);
        assertThat(command.outputArguments()).containsExactly("-vf",
                "thumbnail=n=12,scale=-2:'min(ih,360)':flags=bicubic", "-frames:v", "1", "-q:v", "3", "-update", "1",
                "-an");
        assertThat(ThumbnailCommand.of(360, video(2, 1280, 720, true), null).positionMillis()).isEqualTo(500);
        assertThat(ThumbnailCommand.of(360, video(0.5, 1280, 720, true), null).positionMillis()).isZero();
    }

    @Test
    void aThumbnailAtATimeTakesThatFrameAndATimeOutsideTheVideoIsRefused() {
        ThumbnailCommand command = ThumbnailCommand.of(180, video(20, 1280, 720, true), 7.25);
        assertThat(command.positionMillis()).isEqualTo(7250);
        assertThat(command.outputArguments()).startsWith("-vf", "scale=-2:'min(ih,180)':flags=bicubic");
        assertThatThrownBy(() -> ThumbnailCommand.of(180, video(20, 1280, 720, true), 20.0))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessage("The thumbnail time 20.00 s is outside the video (0 to 20.00 s).");
        assertThatThrownBy(() -> ThumbnailCommand.of(180, video(20, 1280, 720, true), -1.0))
                .isInstanceOf(MediaException.class);
    }

    @Test
    void aTrimOnKeyframesIsAStreamCopy() {
        TrimCommand command = TrimCommand.of(video(10, 640, 360, true), 2.0, 6.0, List.of(0.0, 2.0, 4.0, 6.0, 8.0));
        assertThat(command.copy()).isTrue();
        assertThat(command.positionMillis()).isEqualTo(2000);
        assertThat(command.lengthSeconds()).isEqualTo(4.0);
        assertThat(command.outputArguments()).containsExactly("-t", "4.000", "-map", "0:v:0", "-map", "0:a:0", "-c",
                "copy", "-avoid_negative_ts", "make_zero", "-movflags", "+faststart");
        // the end of the video counts as a keyframe
        assertThat(TrimCommand.of(video(10, 640, 360, true), 4.0, 99, List.of(0.0, 4.0)).copy()).isTrue();
    }

    @Test
    void aTrimBetweenKeyframesIsReEncodedAndWithoutAudioMapsNone() {
        TrimCommand command = TrimCommand.of(video(10, 640, 360, false), 0.3, 1.5, List.of(0.0, 1.0, 2.0));
        assertThat(command.copy()).isFalse();
        assertThat(command.positionMillis()).isEqualTo(300);
        assertThat(command.outputArguments()).containsExactly("-t", "1.200", "-map", "0:v:0", "-c:v", "libx264",
                "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart");
    }

    @Test
    void aTrimOutsideTheVideoIsRefused() {
        assertThatThrownBy(() -> TrimCommand.of(video(2, 640, 360, true), 1.5, 1.0, List.of()))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessage("The trim range 1.500-1.000 s does not lie within the video (0 to 2.000 s).");
        assertThatThrownBy(() -> TrimCommand.checkRange(video(2, 640, 360, true), 2.0, 3.0))
                .isInstanceOf(MediaException.class);
    }

    @Test
    void aMergeNormalisesEveryInputToTheFirstAndFillsMissingAudioWithSilence() {
        MergeCommand command = MergeCommand.of(List.of(video(1, 320, 240, true), video(1.2, 161, 91, false)), 25);
        assertThat(command.totalSeconds()).isEqualTo(2.2);
        assertThat(command.filterGraph()).isEqualTo(
                "[0:v]scale=320:240:force_original_aspect_ratio=decrease,pad=320:240:(ow-iw)/2:(oh-ih)/2,setsar=1,"
                        + "fps=25.000,format=yuv420p,trim=duration=1.000000,setpts=PTS-STARTPTS[v0];"
                        + "[0:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,"
                        + "atrim=duration=1.000000,asetpts=PTS-STARTPTS[a0];"
                        + "[1:v]scale=320:240:force_original_aspect_ratio=decrease,pad=320:240:(ow-iw)/2:(oh-ih)/2,"
                        + "setsar=1,fps=25.000,format=yuv420p,trim=duration=1.200000,setpts=PTS-STARTPTS[v1];"
                        + "anullsrc=r=48000:cl=stereo,atrim=duration=1.200000,asetpts=PTS-STARTPTS[a1];"
                        + "[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]");
        assertThat(command.outputArguments()).startsWith("-map", "[v]", "-map", "[a]").endsWith("-movflags",
                "+faststart");
        assertThatThrownBy(() -> MergeCommand.of(List.of(video(1, 320, 240, true)), 25))
                .isInstanceOf(MediaException.class).hasMessage("A merge needs two or more videos.");
    }

    @Test
    void anOddFirstSizeIsMadeEven() {
        assertThat(MergeCommand.of(List.of(video(1, 321, 241, true), video(1, 320, 240, true)), 30).filterGraph())
                .startsWith("[0:v]scale=320:240:");
    }

    @Test
    void theProbesAskForStreamsAndFormatOrTheFirstVideoStreamsPacketFlags() {
        assertThat(ProbeCommand.MEDIA).containsExactly("-show_streams", "-show_format");
        assertThat(ProbeCommand.KEYFRAMES).containsExactly("-select_streams", "v:0", "-show_packets",
                "-show_entries", "packet=pts_time,flags");
    }
}
