package dev.clipflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing settings, the opt-in PrometheusRule and the Grafana dashboard ConfigMap. Every PromQL
 * expression (alert rules, dashboard panels) is parsed with Prometheus's own grammar
 * ({@code @prometheus-io/lezer-promql}, run by node from {@code src/test/promql}); the metric names
 * they read must be those listed in {@code src/test/resources/observability/metrics-used.txt}, which
 * the system test {@code ObservabilityTest} checks against a scrape of every service of the running
 * stack after a journey.
 */
@SuppressWarnings("unchecked")
class ObservabilityChartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path METRICS_USED = Path.of("src/test/resources/observability/metrics-used.txt");
    /** Grafana's label_values(metric, label): not PromQL; the metric is its first argument. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @Test
    void byDefaultNeitherRuleNorDashboardRenderAndTracingIsOff() {
        var rendered = ChartRenderer.defaults();
        assertThat(rendered.ofKind("PrometheusRule")).isEmpty();
        assertThat(rendered.all(ConfigMap.class)).noneMatch(c -> c.getMetadata().getName().endsWith("-dashboard"));
        for (String service : Contract.SERVICES) {
            Map<String, String> env = rendered.named(ConfigMap.class, objectName(service)).getData();
            assertThat(env).containsEntry("QUARKUS_OTEL_SDK_DISABLED", "true")
                    .doesNotContainKey("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        }
    }

    @Test
    void aCollectorEndpointReachesEveryServiceAndItsNetworkPolicyOpensThePort() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets(
                "observability.tracing.otlpEndpoint", "http://otel-collector.monitoring.svc:4317"));
        for (String service : Contract.SERVICES) {
            Map<String, String> env = rendered.named(ConfigMap.class, objectName(service)).getData();
            assertThat(env).containsEntry("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                    "http://otel-collector.monitoring.svc:4317").doesNotContainKey("QUARKUS_OTEL_SDK_DISABLED");
            NetworkPolicy policy = rendered.named(NetworkPolicy.class, objectName(service));
            assertThat(policy.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getPorts())
                    .anySatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(4317)));
        }
    }

    @Test
    void theRuleAndTheDashboardAreValidPromQlOverTheMetricsTheServicesExport() throws Exception {
        var rendered = ChartRenderer.render(List.of(ChartRenderer.PRODUCTION_VALUES), ChartRenderer.sets(
                "observability.prometheusRule.enabled", true, "observability.dashboard.enabled", true,
                "observability.prometheusRule.labels.release", "kube-prometheus-stack"));

        GenericKubernetesResource rule = (GenericKubernetesResource) rendered.ofKind("PrometheusRule").get(0);
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) rule
                .getAdditionalProperties().get("spec")).get("groups");
        List<String> expressions = new ArrayList<>();
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> alert : (List<Map<String, Object>>) group.get("rules")) {
                assertThat(alert.keySet()).contains("alert", "expr", "labels", "annotations")
                        .isSubsetOf("alert", "expr", "for", "labels", "annotations");
                assertThat((Map<String, Object>) alert.get("labels")).containsKey("severity");
                alerts.add((String) alert.get("alert"));
                expressions.add((String) alert.get("expr"));
            }
        }
        // the list: DLQ growth, outbox age, queue age, job failures, upload 5xx, quota-service unreachable
        assertThat(alerts).contains("ClipflowDeadLettersGrowing", "ClipflowOutboxBacklogOld", "ClipflowTranscodeQueueOld",
                "ClipflowTranscodeJobFailureRate", "ClipflowUpload5xxRate", "ClipflowQuotaServiceUnreachable");
        assertThat(expressions).allSatisfy(e -> assertThat(e).contains("namespace=\"" + ChartRenderer.NAMESPACE + "\""));

        ConfigMap dashboardMap = rendered.named(ConfigMap.class, ChartRenderer.RELEASE + "-clipflow-dashboard");
        assertThat(dashboardMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = JSON.readTree(dashboardMap.getData().get("clipflow.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("clipflow");
        Set<String> metrics = new TreeSet<>();
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as(panel.path("title").asText()).isNotBlank().contains("namespace=\"$namespace\"");
                expressions.add(expr.replace("$namespace", "clipflow"));
                panels++;
            }
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (labelValues.find()) {
                metrics.add(labelValues.group(1));
            }
        }

        JsonNode parsed = parse(expressions);
        for (JsonNode result : parsed) {
            assertThat(result.path("errors")).as("PromQL errors in %s", result.path("expr").asText()).isEmpty();
            assertThat(result.path("metrics")).as("metrics of %s", result.path("expr").asText()).isNotEmpty();
            result.path("metrics").forEach(m -> metrics.add(m.asText()));
        }
        // the parser itself rejects what Prometheus rejects
        assertThat(parse(List.of("sum(rate(clipflow_outbox_backlog[5m])", "rate(x[5m]) >")).get(0).path("errors"))
                .isNotEmpty();

        String used = String.join("\n", metrics) + "\n";
        Path actual = Path.of("target/metrics-used.txt");
        Files.writeString(actual, used);
        assertThat(Files.readString(METRICS_USED)).as("%s is not what the rule and dashboard use (%s): copy %s over it;"
                + " system-tests ObservabilityTest checks every name against a scrape of the stack", METRICS_USED,
                metrics, actual).isEqualTo(used);
    }

    /** Runs the PromQL checker (node, Prometheus's lezer grammar) over the expressions. */
    private static JsonNode parse(List<String> expressions) throws IOException, InterruptedException {
        Path dir = Path.of("target/promql").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(Path.of("src/test/promql", file), dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@prometheus-io/lezer-promql"))) {
            run(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), null);
        }
        return JSON.readTree(run(dir, List.of("node", "check.mjs"), JSON.writeValueAsString(expressions)));
    }

    private static String run(Path dir, List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        if (input != null) {
            try (var in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            process.getOutputStream().close();
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
