package dev.clipflow.charttest;

import java.util.List;

/**
 * The journey through the chart rendered with values-production.yaml (plus values-test.yaml: the test's
 * servers, the JVM flavor, local storage instead of GCS).
 */
class ProductionChartStackTest extends ChartJourneyTests {

    @Override
    ChartStack start() {
        return ChartStack.start("production", List.of(RenderedChart.CHART.resolve("values-production.yaml")), List.of());
    }
}
