package dev.clipflow.deploy;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images cannot be built here (no Docker, no registry): this checks what can be checked offline,
 * that every service has both Dockerfiles in the agreed shape and that the CI workflow builds them all.
 */
class ImagesAndCiTest {

    private static final Path ROOT = Path.of(System.getProperty("clipflow.root", "..")).toAbsolutePath().normalize();

    static List<String> services() {
        return Contract.SERVICES;
    }

    @ParameterizedTest
    @MethodSource("services")
    void jvmDockerfileRunsTheFastJarOnUbi9OpenJdk21AsUid185(String service) throws IOException {
        String dockerfile = dockerfile(service, "Dockerfile.jvm");
        assertThat(instructions(dockerfile, "FROM")).containsExactly("registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24");
        assertThat(dockerfile).contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                .contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
        assertNonRootOnPort8080(dockerfile);
    }

    @ParameterizedTest
    @MethodSource("services")
    void nativeDockerfileRunsTheRunnerOnTheMicroImageAsUid185(String service) throws IOException {
        String dockerfile = dockerfile(service, "Dockerfile.native-micro");
        List<String> from = instructions(dockerfile, "FROM");
        assertThat(from.get(from.size() - 1)).isEqualTo("quay.io/quarkus/quarkus-micro-image:2.0");
        assertThat(dockerfile).contains("target/*-runner /deployments/application");
        assertNonRootOnPort8080(dockerfile);
        if (service.equals("transcode-service")) {
            assertThat(from.get(0)).startsWith("docker.io/mwader/static-ffmpeg:8.0.1");
            assertThat(dockerfile).contains("/ffmpeg /ffprobe /usr/local/bin/");
        } else if (service.equals("upload-service")) {
            // completing an upload probes the file
            assertThat(from.get(0)).startsWith("docker.io/mwader/static-ffmpeg:8.0.1");
            assertThat(dockerfile).contains("/ffprobe /usr/local/bin/");
        } else {
            assertThat(from).hasSize(1);
        }
    }

    /** deploy/local/&lt;service&gt;.jvm is what ./clipflow and the benchmarks run with: the chart must run the same. */
    @ParameterizedTest
    @MethodSource("services")
    void theChartRunsEveryServiceWithTheJvmOptionsItWasMeasuredWith(String service) throws IOException {
        Path file = ROOT.resolve("deploy/local/" + service + ".jvm");
        if (!Files.exists(file)) {
            return;
        }
        List<String> measured = Files.readAllLines(file).stream().map(line -> line.replaceAll("#.*", "").trim())
                .filter(line -> !line.isEmpty()).flatMap(line -> List.of(line.split("\\s+")).stream()).toList();
        var configMap = ChartRenderer.defaults().named(io.fabric8.kubernetes.api.model.ConfigMap.class,
                ChartRenderer.objectName(service));
        assertThat(List.of(configMap.getData().get("JAVA_OPTS_APPEND").split("\\s+"))).containsAll(measured);
    }

    /**
     * The JVM image's run-java.sh adds {@code ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC}} in front of
     * JAVA_OPTS_APPEND: a service whose options pick another collector must pick it there too, or its JVM
     * stops with "Multiple garbage collectors selected" (upload-service's -XX:+UseSerialGC did, found by chart-tests).
     */
    @ParameterizedTest
    @MethodSource("services")
    void aCollectorChosenInTheJavaOptionsIsTheImagesCollector(String service) {
        var configMap = ChartRenderer.defaults().named(io.fabric8.kubernetes.api.model.ConfigMap.class,
                ChartRenderer.objectName(service));
        List<String> collectors = List.of(configMap.getData().get("JAVA_OPTS_APPEND").split("\\s+")).stream()
                .filter(option -> option.matches("-XX:\\+Use\\w+GC")).distinct().toList();
        assertThat(collectors).as(service).hasSizeLessThanOrEqualTo(1);
        if (collectors.isEmpty()) {
            assertThat(configMap.getData()).as(service).doesNotContainKey("GC_CONTAINER_OPTIONS");
        } else {
            assertThat(configMap.getData()).as(service).containsEntry("GC_CONTAINER_OPTIONS", collectors.get(0));
        }
    }

    /**
     * Without {@code -Dvertx.disableURIValidation=true} Quarkus answers a malformed percent-escape
     * ({@code GET /api/videos?page=%ZZ}) with an empty 400 before the problem module sees it (HttpLayerProblems).
     * Every way a service is launched from an image must set it: the JVM image's own default, the native image's
     * entry point, and the chart's JAVA_OPTS_APPEND whatever javaOpts the values give (values-production.yaml
     * empties javaOpts, a user may replace it).
     */
    @ParameterizedTest
    @MethodSource("services")
    void everyImageLaunchKeepsMalformedUrisForTheProblemModule(String service) throws IOException {
        String flag = "-Dvertx.disableURIValidation=true";
        assertThat(dockerfile(service, "Dockerfile.jvm")).as("Dockerfile.jvm's JAVA_OPTS_APPEND")
                .containsPattern("ENV JAVA_OPTS_APPEND=\"[^\"]*" + java.util.regex.Pattern.quote(flag));
        assertThat(dockerfile(service, "Dockerfile.native-micro").lines().filter(line -> line.startsWith("ENTRYPOINT ")))
                .as("native ENTRYPOINT").singleElement().asString().contains("\"" + flag + "\"");
        for (var rendered : List.of(ChartRenderer.defaults(),
                ChartRenderer.render(List.of(ChartRenderer.PRODUCTION_VALUES), ChartRenderer.sets("image.flavor", "jvm")),
                ChartRenderer.render(List.of(), ChartRenderer.sets("javaOpts", "-Xss512k",
                        "services." + service + ".javaOpts", "-XX:+UseSerialGC")))) {
            var configMap = rendered.named(io.fabric8.kubernetes.api.model.ConfigMap.class, ChartRenderer.objectName(service));
            assertThat(List.of(configMap.getData().get("JAVA_OPTS_APPEND").split("\\s+"))).as(service).contains(flag);
        }
    }

    @Test
    void theJvmTranscodeImageKeepsTheJavaCppCacheWritable() throws IOException {
        assertThat(dockerfile("transcode-service", "Dockerfile.jvm")).contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp");
        var configMap = ChartRenderer.defaults().named(io.fabric8.kubernetes.api.model.ConfigMap.class,
                ChartRenderer.objectName("transcode-service"));
        assertThat(configMap.getData().get("JAVA_OPTS_APPEND")).contains("-Dorg.bytedeco.javacpp.cachedir=/scratch/javacpp");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowBuildsBothFlavoursOfEveryServiceAndPackagesTheChart() throws IOException {
        Map<String, Object> workflow = Serialization.unmarshal(
                Files.readString(ROOT.resolve(".github/workflows/images.yml")), Map.class);
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        assertThat(jobs).containsKeys("image", "chart");

        Map<String, Object> matrix = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) jobs.get("image"))
                .get("strategy")).get("matrix");
        assertThat((List<String>) matrix.get("service")).containsExactlyInAnyOrderElementsOf(Contract.SERVICES);
        assertThat((List<String>) matrix.get("flavor")).containsExactlyInAnyOrder("jvm", "native");
        var dockerfiles = ((List<Map<String, Object>>) matrix.get("include")).stream()
                .collect(Collectors.toMap(i -> (String) i.get("flavor"), i -> (String) i.get("dockerfile")));
        assertThat(dockerfiles).containsEntry("jvm", "Dockerfile.jvm").containsEntry("native", "Dockerfile.native-micro");

        String chartSteps = Serialization.asYaml(jobs.get("chart"));
        assertThat(chartSteps).contains("helm lint --strict deploy/helm/clipflow").contains("helm package deploy/helm/clipflow");
    }

    private static void assertNonRootOnPort8080(String dockerfile) {
        List<String> users = instructions(dockerfile, "USER");
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).isEqualTo("185");
        assertThat(instructions(dockerfile, "EXPOSE")).containsExactly(String.valueOf(Contract.CONTAINER_PORT));
        assertThat(dockerfile).contains("QUARKUS_HTTP_PORT=8080").doesNotContain(":latest");
    }

    private static String dockerfile(String service, String name) throws IOException {
        return Files.readString(ROOT.resolve(service).resolve("src/main/docker").resolve(name));
    }

    /** Arguments of every instruction of one kind (FROM: the image, without "AS name"). */
    private static List<String> instructions(String dockerfile, String keyword) {
        return dockerfile.lines().map(String::trim)
                .filter(line -> line.startsWith(keyword + " "))
                .map(line -> line.substring(keyword.length() + 1).trim().split("\\s+")[0])
                .toList();
    }
}
