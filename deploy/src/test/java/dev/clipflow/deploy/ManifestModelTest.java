package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rendered object is valid Kubernetes (typed model, no unknown field) and runs hardened. */
class ManifestModelTest {

    /** Custom resources the chart may render; they are checked structurally elsewhere. */
    private static final Set<String> CUSTOM_KINDS = Set.of(
            "keda.sh/v1alpha1/ScaledObject", "kafka.strimzi.io/v1beta2/KafkaTopic",
            "monitoring.coreos.com/v1/ServiceMonitor", "cert-manager.io/v1/Certificate");

    private static final Pattern SECRET_LIKE = Pattern.compile(
            "(?i).*(PASSWORD|CONNECTION_STRING|JAAS|PRIVATE_KEY|API_KEY).*|.*_SECRET");

    static Stream<Arguments> renderings() {
        return Stream.of(
                Arguments.of("default values", ChartRenderer.defaults()),
                Arguments.of("production values", ChartRenderer.production()),
                Arguments.of("gateway API + topics + monitor", ChartRenderer.render(List.of(), ChartRenderer.sets(
                        "gatewayApi.enabled", true, "kafka.topics.enabled", true,
                        "observability.serviceMonitor.enabled", true,
                        "services.transcode-service.keda.enabled", true))));
    }

    @Test
    void theWalkerCatchesATypo() {
        Deployment deployment = Serialization.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                """, Deployment.class);

        assertThat(ModelWalker.unknownFields(deployment)).singleElement().asString()
                .contains("containers[0]").contains("readinesProbe");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectParsesIntoTheModelWithoutUnknownFields(String label, ChartRenderer.Rendered rendered) {
        assertThat(rendered.objects()).isNotEmpty();
        for (HasMetadata object : rendered.objects()) {
            String id = object.getApiVersion() + "/" + object.getKind() + " " + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                assertThat(CUSTOM_KINDS).as("unexpected untyped object %s", id)
                        .contains(object.getApiVersion() + "/" + object.getKind());
            }
            assertThat(ModelWalker.unknownFields(object)).as("unknown fields in %s", id).isEmpty();
            assertThat(object.getMetadata().getLabels()).as("labels of %s", id)
                    .containsEntry("app.kubernetes.io/instance", ChartRenderer.RELEASE)
                    .containsEntry("app.kubernetes.io/part-of", "clipflow");
            assertThat(object.getMetadata().getNamespace()).as("namespace of %s", id).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyServiceGetsItsObjects(String label, ChartRenderer.Rendered rendered) {
        for (String service : Contract.SERVICES) {
            String name = objectName(service);
            rendered.named(Deployment.class, name);
            rendered.named(Service.class, name);
            rendered.named(ConfigMap.class, name);
            rendered.named(ServiceAccount.class, name);
            rendered.named(PodDisruptionBudget.class, name);
        }
        assertThat(rendered.all(Deployment.class)).hasSize(Contract.SERVICES.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyContainerHasProbesLimitsAndANonRootReadOnlySecurityContext(String label, ChartRenderer.Rendered rendered) {
        for (Deployment deployment : rendered.all(Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            String name = deployment.getMetadata().getName();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isPositive();
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            assertThat(pod.getServiceAccountName()).isEqualTo(name);
            assertThat(pod.getContainers()).hasSize(1);
            for (Container container : pod.getContainers()) {
                assertHardened(name, container);
                assertProbe(name, container.getStartupProbe(), "/q/health/started");
                assertProbe(name, container.getLivenessProbe(), "/q/health/live");
                assertProbe(name, container.getReadinessProbe(), "/q/health/ready");
                assertThat(container.getPorts()).singleElement().satisfies(port -> {
                    assertThat(port.getName()).isEqualTo("http");
                    assertThat(port.getContainerPort()).isEqualTo(Contract.CONTAINER_PORT);
                });
                assertThat(container.getVolumeMounts()).as("writable /tmp of %s", name)
                        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
            }
            assertThat(pod.getVolumes()).as(name).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo("tmp");
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        }
    }

    @Test
    void theHelmTestPodIsHardenedAndChecksEveryServiceThroughItsService() {
        var rendered = ChartRenderer.renderWithExtraTemplate("zz-test-pod.yaml",
                "{{ include \"clipflow.testPod\" (dict \"root\" . \"hookAnnotations\" (dict)) }}\n", List.of());
        var pod = rendered.all(io.fabric8.kubernetes.api.model.Pod.class).stream()
                .filter(p -> p.getMetadata().getName().endsWith("-test-readiness")).findFirst().orElseThrow();
        assertThat(ModelWalker.unknownFields(pod)).isEmpty();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        Container container = pod.getSpec().getContainers().get(0);
        assertHardened(pod.getMetadata().getName(), container);
        String script = String.join(" ", container.getArgs());
        for (String service : Contract.SERVICES) {
            assertThat(script).contains("http://" + objectName(service) + "." + ChartRenderer.NAMESPACE
                    + ".svc:8080/q/health/ready");
        }
        assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "helm-test");
        // the hook wrapper itself renders (helm template leaves hooks out of its output)
        assertThat(ChartRenderer.CHART.resolve("templates/tests/test-readiness.yaml")).content()
                .contains("helm.sh/hook\" \"test\"").contains("clipflow.testPod");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void credentialsOnlyComeFromSecretReferences(String label, ChartRenderer.Rendered rendered) {
        assertThat(rendered.ofKind("Secret")).as("the chart never renders credentials into a Secret").isEmpty();
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            assertThat(configMap.getData().keySet()).as(configMap.getMetadata().getName())
                    .noneMatch(key -> SECRET_LIKE.matcher(key).matches());
            assertThat(configMap.getData().values()).noneMatch(v -> v.matches("(?i).*://[^/@\\s]+:[^/@\\s]+@.*"));
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (SECRET_LIKE.matcher(env.getName()).matches() || env.getName().endsWith("_USERNAME")) {
                        assertThat(env.getValue()).as(env.getName()).isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void servicesSelectorsAndScaleTargetsPointAtTheirDeployments(String label, ChartRenderer.Rendered rendered) {
        for (String service : Contract.SERVICES) {
            String name = objectName(service);
            Deployment deployment = rendered.named(Deployment.class, name);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(podLabels).containsAllEntriesOf(rendered.named(Service.class, name).getSpec().getSelector());
            assertThat(podLabels).containsAllEntriesOf(
                    rendered.named(PodDisruptionBudget.class, name).getSpec().getSelector().getMatchLabels());
            assertThat(rendered.named(Service.class, name).getSpec().getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getEnvFrom()).anySatisfy(from ->
                    assertThat(from.getConfigMapRef().getName()).isEqualTo(name));
        }
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            rendered.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        }
    }

    @Test
    void configMapsCarryTheQuarkusEnvironment() {
        var rendered = ChartRenderer.defaults();
        Map<String, String> catalog = rendered.named(ConfigMap.class, objectName("catalog-service")).getData();
        assertThat(catalog)
                .containsEntry("QUARKUS_HTTP_PORT", "8080")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "clipflow-kafka-bootstrap.kafka.svc:9092")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgresql.databases.svc:5432/catalog?sslmode=require")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "5")
                .containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "10s")
                .containsEntry("CLIPFLOW_JWKS_URL", "http://cf-clipflow-auth-service.clipflow.svc:8080/api/auth/jwks")
                .containsEntry("CLIPFLOW_JWT_ISSUER", "https://clipflow.example.com/auth")
                .containsEntry("CLIPFLOW_QUOTA_URL", "http://cf-clipflow-quota-service.clipflow.svc:8080")
                .containsEntry("CLIPFLOW_AUTH_URL", "http://cf-clipflow-auth-service.clipflow.svc:8080")
                .containsEntry("CLIPFLOW_STORAGE_TYPE", "local")
                .containsEntry("CLIPFLOW_STORAGE_LOCAL_ROOT", "/data/blobs");
        Map<String, String> quota = rendered.named(ConfigMap.class, objectName("quota-service")).getData();
        assertThat(quota).containsEntry("QUARKUS_MONGODB_DATABASE", "quota")
                .doesNotContainKey("QUARKUS_DATASOURCE_JDBC_URL").doesNotContainKey("CLIPFLOW_STORAGE_TYPE");
        // auth-service verifies its own tokens in memory: no JWKS URL
        assertThat(rendered.named(ConfigMap.class, objectName("auth-service")).getData())
                .doesNotContainKey("CLIPFLOW_JWKS_URL").containsEntry("CLIPFLOW_JWT_ISSUER", "https://clipflow.example.com/auth");

        Map<String, String> production = ChartRenderer.production()
                .named(ConfigMap.class, objectName("upload-service")).getData();
        assertThat(production)
                .containsEntry("CLIPFLOW_STORAGE_TYPE", "gcs")
                .containsEntry("CLIPFLOW_STORAGE_GCS_BUCKET", "clipflow-prod-media")
                .containsEntry("CLIPFLOW_STORAGE_GCS_PREFIX", "prod/")
                .containsEntry("CLIPFLOW_STORAGE_GCS_PROJECT_ID", "my-project")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .doesNotContainKey("JAVA_OPTS_APPEND");
    }

    @Test
    void productionUsesNativeImagesAndWorkloadIdentityForTheBlobStoreServices() {
        var rendered = ChartRenderer.production();
        for (String service : Contract.SERVICES) {
            var deployment = rendered.named(Deployment.class, objectName(service));
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("europe-docker.pkg.dev/my-project/clipflow/" + service + ":0.1.0-native");
            var annotations = rendered.named(ServiceAccount.class, objectName(service)).getMetadata().getAnnotations();
            if (Contract.DATASTORES.get(service).contains("blobstore")) {
                assertThat(annotations).containsEntry("iam.gke.io/gcp-service-account",
                        "clipflow-media@my-project.iam.gserviceaccount.com");
            } else {
                assertThat(annotations == null ? Map.of() : annotations).doesNotContainKey("iam.gke.io/gcp-service-account");
            }
        }
        assertThat(rendered.ofKind("PersistentVolumeClaim")).as("GCS needs no blob volume").isEmpty();
    }

    @Test
    void theDefaultInstallSharesOneBlobVolumeBetweenTheBlobStoreServices() {
        var rendered = ChartRenderer.defaults();
        assertThat(rendered.ofKind("PersistentVolumeClaim")).singleElement()
                .satisfies(pvc -> assertThat(pvc.getMetadata().getName()).isEqualTo("cf-clipflow-blobs"));
        for (String service : Contract.SERVICES) {
            var volumes = rendered.named(Deployment.class, objectName(service)).getSpec().getTemplate().getSpec().getVolumes();
            boolean mounted = volumes.stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                    && v.getPersistentVolumeClaim().getClaimName().equals("cf-clipflow-blobs"));
            assertThat(mounted).as(service).isEqualTo(Contract.DATASTORES.get(service).contains("blobstore"));
        }
        assertThat(rendered.named(Deployment.class, objectName("transcode-service")).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("ghcr.io/clipflow/transcode-service:0.1.0");
    }

    @Test
    void notesRenderWithTheServiceUrls() {
        String output = ChartRenderer.installDryRun(List.of(ChartRenderer.PRODUCTION_VALUES));
        assertThat(output).contains("http://cf-clipflow-quota-service.clipflow.svc:8080")
                .contains("https://clipflow.example.com/api/...")
                .contains("helm test cf")
                .contains("gs://clipflow-prod-media/prod/")
                // every Secret a pod needs to start is named
                .contains("clipflow-jwt -> auth-service").contains("clipflow-service-clients -> auth-service")
                .contains("clipflow-share-key/share-key -> catalog-service CLIPFLOW_SHARE_KEY");
    }

    private static void assertHardened(String owner, Container container) {
        var security = container.getSecurityContext();
        assertThat(security).as("securityContext of %s", owner).isNotNull();
        assertThat(security.getRunAsNonRoot()).as(owner).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).as(owner).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as(owner).isFalse();
        assertThat(security.getCapabilities().getDrop()).as(owner).contains("ALL");
        assertThat(container.getResources().getLimits()).as("limits of %s", owner).containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests()).as("requests of %s", owner).containsKeys("cpu", "memory");
    }

    private static void assertProbe(String owner, Probe probe, String path) {
        assertThat(probe).as("%s probe of %s", path, owner).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
}
