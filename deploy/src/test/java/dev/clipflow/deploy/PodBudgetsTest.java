package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a pod may use, checked on the rendered chart: database connections of every pool at the most pods
 * the autoscalers allow (rollout surge included) within the documented PostgreSQL budget; shutdown that
 * fits the grace period Kubernetes gives before SIGKILL; scratch volumes that hold the largest upload.
 */
class PodBudgetsTest {

    /** Time left between the service's own shutdown steps and SIGKILL (endpoint removal, JVM exit). */
    private static final Duration SPARE = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void everyPoolAtTheMostPodsFitsThePostgresqlConnectionBudget(String values) throws Exception {
        var rendered = values.equals("default") ? ChartRenderer.defaults() : ChartRenderer.production();
        long connections = 0;
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            String pool = rendered.named(ConfigMap.class, name).getData().get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE");
            if (pool == null) {
                assertThat(rendered.named(ConfigMap.class, name).getData()).doesNotContainKey("QUARKUS_DATASOURCE_JDBC_URL");
                continue;
            }
            int maxPods = maxReplicas(rendered, deployment);
            // a rolling update starts 25 % more pods (maxSurge) before it stops old ones
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
            connections += (long) Integer.parseInt(pool) * (maxPods + (maxPods + 3) / 4);
        }
        assertThat(connections).as("connections at the most pods").isPositive().isLessThanOrEqualTo(budget(values));
    }

    @Test
    void renderingFailsWhenThePoolsOutgrowTheBudget() {
        assertThatThrownBy(() -> ChartRenderer.render(List.of(), ChartRenderer.sets("services.catalog-service.postgresql.poolSize", 40)))
                .hasMessageContaining("more than postgresql.connectionBudget 400");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void everyServiceShutsDownWithinItsGracePeriod(String values) {
        var rendered = values.equals("default") ? ChartRenderer.defaults() : ChartRenderer.production();
        for (String service : Contract.SERVICES) {
            Deployment deployment = rendered.named(Deployment.class, objectName(service));
            Map<String, String> env = rendered.named(ConfigMap.class, objectName(service)).getData();
            Duration shutdown = duration(env.get("QUARKUS_SHUTDOWN_TIMEOUT"));
            // transcode: after the HTTP requests, a running FFmpeg job gets its grace before it is handed back
            if (env.containsKey("CLIPFLOW_TRANSCODE_SHUTDOWN_GRACE")) {
                shutdown = shutdown.plus(duration(env.get("CLIPFLOW_TRANSCODE_SHUTDOWN_GRACE")));
            }
            long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertThat(shutdown.plus(SPARE)).as(service).isLessThanOrEqualTo(Duration.ofSeconds(grace));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "production"})
    void theScratchVolumesHoldTheLargestUpload(String values) {
        var rendered = values.equals("default") ? ChartRenderer.defaults() : ChartRenderer.production();
        long max = Long.parseLong(rendered.named(ConfigMap.class, objectName("upload-service")).getData()
                .get("CLIPFLOW_UPLOAD_MAX_FILE_SIZE"));
        assertThat(max).isEqualTo(10L << 30);
        // a direct upload is spooled to scratch and then stored (on GCS the probe reads in place)
        assertThat(scratchBytes(rendered, "upload-service")).isGreaterThanOrEqualTo(2 * max);
        // a job holds the source, the MP4 and the HLS ladder at once
        int jobs = Integer.parseInt(rendered.named(ConfigMap.class, objectName("transcode-service")).getData()
                .get("CLIPFLOW_TRANSCODE_CONCURRENCY"));
        assertThat(scratchBytes(rendered, "transcode-service")).isGreaterThanOrEqualTo(3 * max * jobs);
    }

    @Test
    void renderingFailsWhenAScratchVolumeCannotHoldTheLargestUpload() {
        assertThatThrownBy(() -> ChartRenderer.render(List.of(), ChartRenderer.sets("maxFileSizeBytes", 18L << 30,
                "services.upload-service.scratch.sizeLimit", "40Gi")))
                .hasMessageContaining("services.transcode-service.scratch must hold 3 x maxFileSizeBytes");
        assertThatThrownBy(() -> ChartRenderer.render(List.of(), ChartRenderer.sets("services.upload-service.scratch.sizeLimit", "5Gi")))
                .hasMessageContaining("services.upload-service.scratch must hold 2 x maxFileSizeBytes");
    }

    private static long scratchBytes(ChartRenderer.Rendered rendered, String service) {
        var volume = rendered.named(Deployment.class, objectName(service)).getSpec().getTemplate().getSpec().getVolumes()
                .stream().filter(v -> v.getName().equals("scratch")).findFirst().orElseThrow();
        return Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()).longValueExact();
    }

    private static int maxReplicas(ChartRenderer.Rendered rendered, Deployment deployment) {
        String name = deployment.getMetadata().getName();
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            if (hpa.getSpec().getScaleTargetRef().getName().equals(name)) {
                return hpa.getSpec().getMaxReplicas();
            }
        }
        for (var object : rendered.ofKind("ScaledObject")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) ((GenericKubernetesResource) object).getAdditionalProperties().get("spec");
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) spec.get("scaleTargetRef");
            if (name.equals(target.get("name"))) {
                return ((Number) spec.get("maxReplicaCount")).intValue();
            }
        }
        return deployment.getSpec().getReplicas();
    }

    @SuppressWarnings("unchecked")
    private static long budget(String values) throws Exception {
        var file = values.equals("default") ? ChartRenderer.CHART.resolve("values.yaml") : ChartRenderer.PRODUCTION_VALUES;
        Map<String, Object> parsed = Serialization.unmarshal(Files.readString(file), Map.class);
        Object budget = ((Map<String, Object>) parsed.get("postgresql")).get("connectionBudget");
        if (budget == null) {
            return budget("default");
        }
        return new BigDecimal(budget.toString()).longValueExact();
    }

    /** A Quarkus duration as the chart writes it (10s, 240s, 2m, 500ms). */
    private static Duration duration(String value) {
        assertThat(value).matches("[0-9]+(ms|s|m)");
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return value.endsWith("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
    }
}
