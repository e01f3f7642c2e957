package dev.clipflow.deploy;

import dev.clipflow.contracts.events.Topics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;

/** HPAs, the KEDA ScaledObject of the transcode workers and the Strimzi topics (checked structurally). */
@SuppressWarnings("unchecked")
class ScalingAndTopicsTest {

    @Test
    void byDefaultEveryServiceScalesOnCpuAndNoCustomResourcesRender() {
        var rendered = ChartRenderer.defaults();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Contract.SERVICES.stream().map(ChartRenderer::objectName).toList());
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
                assertThat(metric.getResource().getName()).isEqualTo("cpu");
                assertThat(metric.getResource().getTarget().getAverageUtilization()).isBetween(1, 100);
            });
        }
        assertThat(rendered.ofKind("ScaledObject")).isEmpty();
        assertThat(rendered.ofKind("KafkaTopic")).isEmpty();
        // autoscaled Deployments leave replicas to the autoscaler (a rollout would reset them otherwise)
        assertThat(rendered.all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isNull());
    }

    @Test
    void productionScalesTranscodeWorkersOnTheirQueuedAndRunningJobsWithKeda() {
        var rendered = ChartRenderer.production();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getMetadata().getName())
                .doesNotContain(objectName("transcode-service")).hasSize(Contract.SERVICES.size() - 1);
        assertThat(rendered.ofKind("ScaledObject")).hasSize(1);
        GenericKubernetesResource scaled = (GenericKubernetesResource) rendered.ofKind("ScaledObject").get(0);
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        Map<String, Object> spec = map(scaled.getAdditionalProperties().get("spec"));
        assertThat(spec.keySet()).containsOnly("scaleTargetRef", "minReplicaCount", "maxReplicaCount",
                "pollingInterval", "cooldownPeriod", "triggers");
        Map<String, Object> target = map(spec.get("scaleTargetRef"));
        assertThat(target).containsEntry("kind", "Deployment").containsEntry("apiVersion", "apps/v1");
        rendered.named(Deployment.class, (String) target.get("name"));
        assertThat(target.get("name")).isEqualTo(objectName("transcode-service"));
        assertThat(((Number) spec.get("minReplicaCount")).intValue())
                .isLessThanOrEqualTo(((Number) spec.get("maxReplicaCount")).intValue());

        // not Kafka lag: the consumers commit as soon as a job row is QUEUED, so lag never shows the backlog.
        // The gauges transcode-service exposes on /q/metrics (BacklogMetricsTest) instead.
        assertThat((List<?>) spec.get("triggers")).singleElement().satisfies(triggerObject -> {
            Map<String, Object> trigger = map(triggerObject);
            assertThat(trigger.keySet()).containsOnly("type", "metadata");
            assertThat(trigger).containsEntry("type", "prometheus");
            Map<String, Object> metadata = map(trigger.get("metadata"));
            assertThat(metadata.keySet()).containsOnly("serverAddress", "query", "threshold", "ignoreNullValues");
            // KEDA trigger metadata is map[string]string: numbers must be quoted
            assertThat(metadata.values()).allMatch(String.class::isInstance);
            assertThat(metadata).containsEntry("threshold", "1")
                    .containsEntry("serverAddress", "http://kube-prometheus-stack-prometheus.monitoring.svc:9090")
                    .containsEntry("query", "max(clipflow_transcode_jobs_queued{namespace=\"clipflow\"})"
                            + " + max(clipflow_transcode_jobs_running{namespace=\"clipflow\"})");
        });
    }

    @Test
    void strimziTopicsCoverTheContractAndTheDeadLetterTopics() {
        var rendered = ChartRenderer.production();
        var expected = new HashSet<>(Topics.ALL);
        expected.addAll(deadLetterTopicsOfTheServices());

        var names = new ArrayList<String>();
        for (HasMetadata object : rendered.ofKind("KafkaTopic")) {
            var topic = (GenericKubernetesResource) object;
            assertThat(topic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "clipflow");
            assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka");
            assertThat(topic.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(topic.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
            Map<String, Object> spec = map(topic.getAdditionalProperties().get("spec"));
            assertThat(spec.keySet()).containsOnly("topicName", "partitions", "replicas", "config");
            String name = (String) spec.get("topicName");
            names.add(name);
            assertThat(((Number) spec.get("partitions")).intValue()).as(name).isPositive();
            assertThat(((Number) spec.get("replicas")).intValue()).as(name).isEqualTo(3);
            Map<String, Object> config = map(spec.get("config"));
            assertThat(config).as(name).containsKeys("retention.ms", "min.insync.replicas", "cleanup.policy");
            // large numbers must stay integers (a float would render as 6.048e+08)
            assertThat(config.get("retention.ms")).as(name).isInstanceOf(Number.class);
            assertThat(((Number) config.get("retention.ms")).longValue()).as(name).isGreaterThanOrEqualTo(86_400_000L);
            if (name.endsWith(".dlq")) {
                assertThat(((Number) config.get("retention.ms")).longValue()).isEqualTo(2_592_000_000L);
            }
            if (name.equals(Topics.VIDEO_UPLOADED)) {
                assertThat(spec).containsEntry("partitions", 12);
            }
        }
        assertThat(names).doesNotHaveDuplicates();
        assertThat(Set.copyOf(names)).isEqualTo(expected);
    }

    /**
     * quota-service drops a replayed event by its id only as long as it remembers the id: at least as long as the
     * topics it consumes keep their records, so the chart passes the topics' longest retention.
     */
    @Test
    void quotaRemembersProcessedEventIdsAsLongAsItsTopicsKeepTheirRecords() {
        var rendered = ChartRenderer.production();
        long longest = 0;
        Map<String, Long> retention = new java.util.HashMap<>();
        for (HasMetadata object : rendered.ofKind("KafkaTopic")) {
            Map<String, Object> spec = map(((GenericKubernetesResource) object).getAdditionalProperties().get("spec"));
            long ms = ((Number) map(spec.get("config")).get("retention.ms")).longValue();
            retention.put((String) spec.get("topicName"), ms);
            if (!((String) spec.get("topicName")).endsWith(".dlq")) {
                longest = Math.max(longest, ms);
            }
        }
        var quota = rendered.named(io.fabric8.kubernetes.api.model.ConfigMap.class, objectName("quota-service")).getData();
        assertThat(quota).containsEntry("CLIPFLOW_QUOTA_PROCESSED_EVENTS_RETENTION", longest + "ms");
        for (String consumed : List.of(Topics.VIDEO_DELETED, Topics.USER_DELETED, Topics.USAGE_BANDWIDTH,
                Topics.VIDEO_TRANSCODED, Topics.VIDEO_FAILED, Topics.VIDEO_STORED, Topics.VIDEO_REPLACED)) {
            assertThat(longest).as(consumed).isGreaterThanOrEqualTo(retention.get(consumed));
        }
        assertThat(ChartRenderer.defaults().named(io.fabric8.kubernetes.api.model.ConfigMap.class,
                objectName("quota-service")).getData()).containsEntry("CLIPFLOW_QUOTA_PROCESSED_EVENTS_RETENTION",
                "2592000000ms");
    }

    @Test
    void serviceMonitorsScrapeEveryServicesMetricsOnItsHttpPort() {
        var rendered = ChartRenderer.production();
        var monitors = rendered.ofKind("ServiceMonitor");
        assertThat(monitors).hasSize(Contract.SERVICES.size());
        for (HasMetadata object : monitors) {
            var monitor = (GenericKubernetesResource) object;
            assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
            Map<String, Object> spec = map(monitor.getAdditionalProperties().get("spec"));
            assertThat(spec.keySet()).containsOnly("selector", "endpoints");
            var selector = map(map(spec.get("selector")).get("matchLabels"));
            var service = rendered.named(io.fabric8.kubernetes.api.model.Service.class, monitor.getMetadata().getName());
            assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(
                    (Map<String, String>) (Map<?, ?>) selector);
            assertThat((List<?>) spec.get("endpoints")).singleElement().satisfies(endpoint ->
                    assertThat(map(endpoint)).containsEntry("port", "http").containsEntry("path", "/q/metrics"));
        }
        assertThat(ChartRenderer.defaults().ofKind("ServiceMonitor")).isEmpty();
    }

    /** Every dead-letter topic a consumer of a service uses (dead-letter-queue.topic in its application.properties). */
    /** A dead-letter topic per contract topic: the messaging module's consumers send to Topics.dlq(source). */
    private static Set<String> deadLetterTopicsOfTheServices() {
        var topics = new HashSet<String>();
        Topics.ALL.forEach(topic -> topics.add(Topics.dlq(topic)));
        assertThat(topics).hasSize(Topics.ALL.size()).allMatch(topic -> topic.endsWith(".dlq"));
        return topics;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
