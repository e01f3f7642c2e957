package dev.clipflow.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json turns bad values into an error before anything renders. */
class ValuesSchemaTest {

    @Test
    void theChartLintsCleanInStrictMode() {
        var lint = ChartRenderer.lint();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));

        var production = ChartRenderer.lintWithProductionValues();
        assertThat(production.isFailed()).as(String.join("\n", production.getMessages())).isFalse();
        assertThat(production.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "services.auth-service.replicas|-1|replicas",
            "services.transcode-service.autoscaling.maxReplicas|0|maxReplicas",
            "services.upload-service.autoscaling.targetCPUUtilizationPercentage|150|targetCPUUtilizationPercentage",
            "image.flavor|graal|flavor",
            "image.pullPolicy|Sometimes|pullPolicy",
            "containerPort|70000|containerPort",
            "storage.type|s3|type",
            "services.catalog-service.routes[0]|/internal/quota/users|routes",
            "services.catalog-service.uses[0]|redis|uses",
            "containerSecurityContext.readOnlyRootFilesystem|false|readOnlyRootFilesystem",
            "podSecurityContext.runAsNonRoot|false|runAsNonRoot",
            "kafka.topics.defaults.partitions|0|partitions",
            "services.transcode-service.keda.lagThreshold|0|lagThreshold",
            "postgresql.sslMode|sometimes|sslMode",
            "replicaCount|3|replicaCount",
            "services.auth-service.replica|3|replica",
            "image.digests.auth-service|latest|auth-service",
    })
    void badValuesAreRejected(String key, String value, String mentioned) {
        Object typed = value.matches("-?\\d+") ? (Object) Integer.valueOf(value)
                : value.equals("true") || value.equals("false") ? (Object) Boolean.valueOf(value) : value;
        assertThatThrownBy(() -> ChartRenderer.template(List.of(), ChartRenderer.sets(key, typed)))
                .hasMessageContaining("schema")
                .hasMessageContaining(mentioned);
    }

    @Test
    void gcsNeedsABucket() {
        assertThatThrownBy(() -> ChartRenderer.template(List.of(), ChartRenderer.sets("storage.type", "gcs")))
                .hasMessageContaining("bucket");
        assertThat(ChartRenderer.template(List.of(), ChartRenderer.sets(
                "storage.type", "gcs", "storage.gcs.bucket", "my-bucket"))).contains("my-bucket");
    }

    @Test
    void goodOverridesAreAccepted() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets(
                "services.auth-service.autoscaling.enabled", false,
                "services.auth-service.replicas", 0,
                "image.tag", "1.2.3",
                "image.digests.catalog-service", "sha256:" + "a".repeat(64)));
        var auth = rendered.named(io.fabric8.kubernetes.api.model.apps.Deployment.class,
                ChartRenderer.objectName("auth-service"));
        assertThat(auth.getSpec().getReplicas()).isZero();
        assertThat(auth.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.2.3");
        var catalog = rendered.named(io.fabric8.kubernetes.api.model.apps.Deployment.class,
                ChartRenderer.objectName("catalog-service"));
        assertThat(catalog.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/clipflow/catalog-service@sha256:" + "a".repeat(64));
    }
}
