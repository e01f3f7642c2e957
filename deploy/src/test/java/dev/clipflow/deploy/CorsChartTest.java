package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-origin browser access (CLIPFLOW_CORS_ORIGINS, docs/api.md "Browsers") is off unless the values list origins:
 * nothing in the defaults or in values-production.yaml (a console served on the Ingress host is same-origin), and
 * every service gets the same list when {@code cors.allowedOrigins} names some.
 */
class CorsChartTest {

    @Test
    void offByDefaultAndInProduction() {
        for (var rendered : List.of(ChartRenderer.defaults(), ChartRenderer.production())) {
            for (String service : Contract.SERVICES) {
                var data = rendered.named(ConfigMap.class, ChartRenderer.objectName(service)).getData();
                assertThat(data.getOrDefault("CLIPFLOW_CORS_ORIGINS", "")).as(service).isEmpty();
            }
        }
    }

    @Test
    void everyServiceGetsTheListedOrigins(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path values = java.nio.file.Files.writeString(dir.resolve("cors.yaml"),
                "cors:\n  allowedOrigins: [\"https://console.example.com\", \"/https://[a-z]+\\\\.example\\\\.com/\"]\n");
        var rendered = ChartRenderer.render(List.of(ChartRenderer.PRODUCTION_VALUES, values), java.util.Map.of());
        for (String service : Contract.SERVICES) {
            assertThat(rendered.named(ConfigMap.class, ChartRenderer.objectName(service)).getData())
                    .as(service).containsEntry("CLIPFLOW_CORS_ORIGINS", "https://console.example.com,/https://[a-z]+\\.example\\.com/");
        }
    }
}
