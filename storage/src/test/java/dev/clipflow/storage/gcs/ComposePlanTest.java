package dev.clipflow.storage.gcs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposePlanTest {

    private static List<String> sources(int n) {
        return IntStream.range(0, n).mapToObj(i -> "s" + i).toList();
    }

    /** Replays the plan symbolically: each object is the list of source names it holds. */
    private static List<String> replay(List<ComposePlan.Step> steps, String target) {
        java.util.Map<String, List<String>> objects = new java.util.HashMap<>();
        for (ComposePlan.Step step : steps) {
            List<String> content = new ArrayList<>();
            for (String source : step.sources()) {
                content.addAll(objects.getOrDefault(source, List.of(source)));
            }
            objects.put(step.target(), content);
        }
        return objects.get(target);
    }

    @Test
    void upTo32SourcesIsOneCall() {
        assertThat(ComposePlan.plan(sources(1), "t", n -> "tmp" + n)).hasSize(1);
        List<ComposePlan.Step> steps = ComposePlan.plan(sources(32), "t", n -> "tmp" + n);
        assertThat(steps).singleElement().satisfies(s -> {
            assertThat(s.target()).isEqualTo("t");
            assertThat(s.sources()).hasSize(32);
            assertThat(s.intermediate()).isFalse();
        });
    }

    @Test
    void manySourcesFormATreeInOrder() {
        for (int n : new int[] {33, 64, 65, 1000, 1024, 1025, 40_000}) {
            List<ComposePlan.Step> steps = ComposePlan.plan(sources(n), "t", i -> "tmp" + i);
            assertThat(steps).allSatisfy(s -> assertThat(s.sources()).hasSizeBetween(1, 32));
            assertThat(steps.get(steps.size() - 1).target()).isEqualTo("t");
            assertThat(replay(steps, "t")).isEqualTo(sources(n));
            Set<String> made = new HashSet<>();
            for (ComposePlan.Step step : steps) {
                for (String source : step.sources()) {
                    assertThat(source.startsWith("tmp") ? made.contains(source) : true).isTrue();
                }
                made.add(step.target());
            }
        }
        // 1000 parts: 32 intermediates + 1 final
        assertThat(ComposePlan.plan(sources(1000), "t", i -> "tmp" + i)).hasSize(33);
    }

    @Test
    void smallFanInStillOrdersCorrectly() {
        List<ComposePlan.Step> steps = ComposePlan.plan(sources(10), "t", i -> "tmp" + i, 2);
        assertThat(replay(steps, "t")).isEqualTo(sources(10));
    }

    @Test
    void nothingToComposeIsAnError() {
        assertThatThrownBy(() -> ComposePlan.plan(List.of(), "t", i -> "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
