package dev.clipflow.transcode.ladder;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderPlannerTest {

    private final LadderPlanner planner = new LadderPlanner(RungSpec.parse(List.of("1080:5000", "480:1400", "720:2800")));

    @Test
    void fullHdSourceGetsAllThreeRungsSmallestFirst() {
        assertThat(planner.plan(1920, 1080)).containsExactly(
                new Rung("480p", 854, 480, 1400), new Rung("720p", 1280, 720, 2800), new Rung("1080p", 1920, 1080, 5000));
    }

    @Test
    void neverAboveTheSource() {
        assertThat(planner.plan(1280, 720)).extracting(Rung::name).containsExactly("480p", "720p");
        assertThat(planner.plan(1000, 1000)).extracting(Rung::name).containsExactly("480p", "720p");
        assertThat(planner.plan(3840, 2160)).extracting(Rung::name).containsExactly("480p", "720p", "1080p");
    }

    @Test
    void sourceBelowTheLowestRungGetsOneRungAtItsOwnSize() {
        List<Rung> rungs = planner.plan(640, 360);
        assertThat(rungs).hasSize(1);
        assertThat(rungs.get(0)).isEqualTo(new Rung("360p", 640, 360, rungs.get(0).videoKbps()));
        assertThat(rungs.get(0).videoKbps()).isBetween(100, 1400);
    }

    @Test
    void oddSizesBecomeEvenWithoutUpscaling() {
        List<Rung> rungs = planner.plan(333, 187);
        assertThat(rungs).singleElement().satisfies(r -> {
            assertThat(r.width() % 2).isZero();
            assertThat(r.height() % 2).isZero();
            assertThat(r.width()).isLessThanOrEqualTo(333);
            assertThat(r.height()).isLessThanOrEqualTo(187);
            assertThat(r.name()).isEqualTo("186p");
        });
        assertThat(planner.plan(853, 480)).singleElement().satisfies(r -> assertThat(r.width()).isEqualTo(852));
    }

    @Test
    void portraitVideoKeepsItsAspectOnTheShortEdge() {
        assertThat(planner.plan(1080, 1920)).containsExactly(
                new Rung("480p", 480, 854, 1400), new Rung("720p", 720, 1280, 2800), new Rung("1080p", 1080, 1920, 5000));
    }

    @Test
    void aspectRatioIsKept() {
        for (Rung rung : planner.plan(1920, 800)) {
            assertThat((double) rung.width() / rung.height()).isCloseTo(1920.0 / 800, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void badConfigurationAndInputAreRejected() {
        assertThatThrownBy(() -> RungSpec.parse(List.of("720p"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RungSpec.parse(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> planner.plan(0, 720)).isInstanceOf(IllegalArgumentException.class);
    }
}
