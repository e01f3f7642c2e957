package dev.clipflow.transcode.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReporterTest {

    @Test
    void reportsEveryFivePercentWithinTheInterval() {
        List<Integer> sent = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter((percent, eta) -> sent.add(percent), Duration.ofHours(1), 5);
        for (int i = 0; i <= 1000; i++) {
            reporter.update(i / 1000.0);
        }
        assertThat(sent).containsExactly(5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95);
    }

    @Test
    void smallStepsAreReportedOnceTheIntervalPassedAndNeverGoBackOrReach100() throws Exception {
        List<Integer> sent = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter((percent, eta) -> sent.add(percent), Duration.ofMillis(20), 5);
        reporter.update(0.01);
        assertThat(sent).isEmpty();
        Thread.sleep(30);
        reporter.update(0.02);
        assertThat(sent).containsExactly(2);
        reporter.update(0.01);
        reporter.update(1.0);
        assertThat(sent).containsExactly(2, 99);
    }

    @Test
    void theEstimateIsTheRestAtThePaceSoFar() {
        assertThat(ProgressReporter.eta(0.25, 30_000_000_000L)).isEqualTo(90);
        assertThat(ProgressReporter.eta(0.5, 10_000_000_000L)).isEqualTo(10);
        assertThat(ProgressReporter.eta(0.01, 10_000_000_000L)).as("too early to tell").isNull();
    }

    @Test
    void updatesCarryAnEstimateOnceThereIsAPace() {
        List<Integer> etas = new ArrayList<>();
        ProgressReporter reporter = new ProgressReporter((percent, eta) -> etas.add(eta), Duration.ofHours(1), 5);
        reporter.update(0.01);
        reporter.update(0.05);
        reporter.update(0.5);
        assertThat(etas).hasSize(2);
        assertThat(etas.get(1)).isNotNull().isGreaterThanOrEqualTo(0);
    }
}
