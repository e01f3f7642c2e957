package dev.clipflow.transcode.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The storyboard's rule (interval, cap, grid, tile size) and its WebVTT, read without running ffmpeg. */
class StoryboardTest {

    @Test
    void aShortVideoGetsATileEveryTwoSeconds() {
        Storyboard board = Storyboard.of(10, 1920, 1080);
        assertThat(board.interval()).isEqualTo(2);
        assertThat(board.tiles()).isEqualTo(5);
        assertThat(board.columns()).isEqualTo(5);
        assertThat(board.rows()).isEqualTo(1);
        assertThat(board.tileWidth()).isEqualTo(160);
        assertThat(board.tileHeight()).isEqualTo(90);
        assertThat(Storyboard.of(1.5, 1920, 1080).tiles()).isEqualTo(1);
        assertThat(Storyboard.of(10.04, 1920, 1080).tiles()).isEqualTo(6);
    }

    @Test
    void aLongVideoIsCappedAtAHundredTilesWithALongerInterval() {
        assertThat(Storyboard.of(200, 1280, 720)).extracting(Storyboard::interval, Storyboard::tiles)
                .containsExactly(2, 100);
        assertThat(Storyboard.of(600, 1280, 720)).extracting(Storyboard::interval, Storyboard::tiles)
                .containsExactly(6, 100);
        Storyboard hour = Storyboard.of(3600.5, 1280, 720);
        assertThat(hour.interval()).isEqualTo(37);
        assertThat(hour.tiles()).isEqualTo(98);
        assertThat(hour.columns()).isEqualTo(10);
        assertThat(hour.rows()).isEqualTo(10);
        assertThat(hour.spriteWidth()).isEqualTo(1600);
        assertThat(hour.spriteHeight()).isEqualTo(900);
    }

    @Test
    void portraitTilesAreAsTallAsLandscapeOnesAreWide() {
        Storyboard board = Storyboard.of(10, 720, 1280);
        assertThat(board.tileWidth()).isEqualTo(90);
        assertThat(board.tileHeight()).isEqualTo(160);
        assertThatThrownBy(() -> Storyboard.of(0, 720, 1280)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCuesTileTheWholeDurationInsideTheSprite() {
        Storyboard board = Storyboard.of(25.3, 640, 360);
        List<Storyboard.Cue> cues = board.cues();
        assertThat(cues).hasSize(13);
        assertThat(cues.get(0).start()).isZero();
        for (int i = 1; i < cues.size(); i++) {
            assertThat(cues.get(i).start()).isEqualTo(cues.get(i - 1).end());
        }
        assertThat(cues.get(cues.size() - 1).end()).isEqualTo(25.3);
        assertThat(cues).allSatisfy(c -> {
            assertThat(c.x() + c.w()).isLessThanOrEqualTo(board.spriteWidth());
            assertThat(c.y() + c.h()).isLessThanOrEqualTo(board.spriteHeight());
        });
        assertThat(cues.get(10)).isEqualTo(new Storyboard.Cue(20, 22, 0, 90, 160, 90));
    }

    @Test
    void theVttNamesTheSpriteRelativelyWithMediaFragments() {
        assertThat(Storyboard.of(3.5, 1280, 720).vtt()).isEqualTo("""
                WEBVTT

                00:00:00.000 --> 00:00:02.000
                storyboard.jpg#xywh=0,0,160,90

                00:00:02.000 --> 00:00:03.500
                storyboard.jpg#xywh=160,0,160,90
                """);
        assertThat(Storyboard.timestamp(3723.4567)).isEqualTo("01:02:03.457");
    }

    @Test
    void theBranchTakesOneFrameAtEachTileTimeAndLaysThemOut() {
        assertThat(Storyboard.of(25.3, 640, 360).filter()).isEqualTo(
                "setpts=PTS-STARTPTS,fps=1/2:round=up,trim=end_frame=13,scale=160:90:flags=bilinear,setsar=1");
    }
}
