package dev.clipflow.charttest;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

/**
 * The journey through the chart rendered with its default values (plus values-test.yaml). The JVM flavor
 * and local storage are the defaults already, so this is the closest to an installation as documented;
 * the build runs the production variant ({@link ProductionChartStackTest}) only, to keep CI short:
 * {@code -Dclipflow.chart.defaults=true} runs this one too.
 */
@EnabledIfSystemProperty(named = "clipflow.chart.defaults", matches = "true")
class DefaultValuesChartStackTest extends ChartJourneyTests {

    @Override
    ChartStack start() {
        return ChartStack.start("defaults", List.of(), List.of());
    }
}
