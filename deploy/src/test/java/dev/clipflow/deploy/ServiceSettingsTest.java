package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every environment variable the rendered chart gives a service is a setting that service reads
 * (derived from its application.properties and @ConfigMapping interfaces, see {@link ServiceSettings}),
 * in both image flavours, with the default and the production values; and the settings a pod cannot
 * run without (signing key, client secrets, share key, public URLs, quota URL) do reach it.
 */
class ServiceSettingsTest {

    /** Variables read by something other than the service's configuration, and by what. */
    private static final Map<String, String> PLATFORM = Map.of(
            "JAVA_OPTS_APPEND", "the run script of the JVM image (ubi9 OpenJDK)",
            "GC_CONTAINER_OPTIONS", "the run script of the JVM image (its collector, -XX:+UseParallelGC unless set)",
            "GOOGLE_APPLICATION_CREDENTIALS", "Google's auth library (a key file where Workload Identity is unavailable)");

    /** Variables of the base images' run scripts. */
    private static final List<String> IMAGE = List.of("LANGUAGE", "JAVA_APP_JAR", "JAVA_OPTS_APPEND", "GC_CONTAINER_OPTIONS");

    static Stream<String> renderings() {
        return Stream.of("default/jvm", "default/native", "production/jvm", "production/native");
    }

    static ChartRenderer.Rendered render(String rendering) {
        String[] parts = rendering.split("/");
        List<Path> files = parts[0].equals("production") ? List.of(ChartRenderer.PRODUCTION_VALUES) : List.of();
        var sets = ChartRenderer.sets("image.flavor", parts[1], "smtp.existingSecret", "clipflow-smtp",
                "storage.gcs.credentialsSecret.name", parts[0].equals("production") ? "clipflow-gcs-key" : "");
        return ChartRenderer.render(files, sets);
    }

    /** Name to value (or "secret:<name>/<key>") of everything a service's container gets in its environment. */
    static Map<String, String> environment(ChartRenderer.Rendered rendered, String service) {
        Map<String, String> env = new LinkedHashMap<>(rendered.named(ConfigMap.class, objectName(service)).getData());
        for (EnvVar var : container(rendered, service).getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                env.put(var.getName(), "secret:" + ref.getName() + "/" + ref.getKey());
            } else {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    static Container container(ChartRenderer.Rendered rendered, String service) {
        return rendered.named(Deployment.class, objectName(service)).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyVariableTheChartPassesIsASettingTheServiceReads(String rendering) {
        var rendered = render(rendering);
        List<String> unread = new ArrayList<>();
        for (String service : Contract.SERVICES) {
            ServiceSettings settings = ServiceSettings.of(service);
            for (String name : environment(rendered, service).keySet()) {
                boolean kafkaClient = name.startsWith("KAFKA_") && settings.reads("KAFKA_BOOTSTRAP_SERVERS");
                if (!settings.reads(name) && !PLATFORM.containsKey(name) && !kafkaClient) {
                    unread.add(service + ": " + name);
                }
            }
        }
        assertThat(unread).as("variables the chart sets (%s) that no setting of the service reads", rendering).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void theSettingsAPodCannotRunWithoutReachIt(String rendering) {
        var rendered = render(rendering);
        boolean production = rendering.startsWith("production");
        String base = production ? "https://clipflow.example.com" : "http://clipflow.example.com";

        var auth = environment(rendered, "auth-service");
        assertThat(auth).containsEntry("CLIPFLOW_FRONTEND_URL", base);
        assertThat(mountedSecret(rendered, "auth-service", auth.get("CLIPFLOW_AUTH_KEY_DIR"))).isEqualTo("clipflow-jwt");
        assertThat(mountedSecret(rendered, "auth-service", auth.get("CLIPFLOW_SERVICE_CLIENT_DIR")))
                .isEqualTo("clipflow-service-clients");

        for (String caller : List.of("upload-service", "catalog-service")) {
            assertThat(environment(rendered, caller))
                    .containsEntry("CLIPFLOW_QUOTA_URL", "http://cf-clipflow-quota-service.clipflow.svc:8080")
                    .containsEntry("CLIPFLOW_AUTH_URL", "http://cf-clipflow-auth-service.clipflow.svc:8080")
                    .containsEntry("CLIPFLOW_CLIENT_SECRET", "secret:clipflow-service-clients/" + caller);
        }
        assertThat(environment(rendered, "notify-service")).containsEntry("CLIPFLOW_WEBHOOK_RETENTION", "30d");
        assertThat(environment(rendered, "catalog-service"))
                .containsEntry("CLIPFLOW_SHARE_KEY", "secret:clipflow-share-key/share-key")
                .containsEntry("CLIPFLOW_PUBLIC_BASE_URL", base)
                .containsEntry("CLIPFLOW_CATALOG_KEEP_ORIGINALS", "true")
                // POST /api/videos/{id}/replace opens the new file's upload at upload-service
                .containsEntry("CLIPFLOW_UPLOAD_URL", "http://cf-clipflow-upload-service.clipflow.svc:8080");
        for (String service : List.of("upload-service", "transcode-service", "catalog-service", "quota-service",
                "notify-service")) {
            assertThat(environment(rendered, service))
                    .containsEntry("CLIPFLOW_JWKS_URL", "http://cf-clipflow-auth-service.clipflow.svc:8080/api/auth/jwks")
                    .containsEntry("CLIPFLOW_JWT_ISSUER", "https://clipflow.example.com/auth");
        }
    }

    @Test
    void anOperatorCanTurnKeepingOriginalsOff() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets("keepOriginals", "false",
                "smtp.existingSecret", "clipflow-smtp"));
        assertThat(environment(rendered, "catalog-service")).containsEntry("CLIPFLOW_CATALOG_KEEP_ORIGINALS", "false");
        assertThat(ServiceSettings.of("catalog-service").reads("CLIPFLOW_CATALOG_KEEP_ORIGINALS")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void temporaryFilesAndFfmpegGoWhereThePodCanWriteAndRun(String rendering) {
        var rendered = render(rendering);
        boolean nativeImage = rendering.endsWith("native");
        for (String service : List.of("upload-service", "transcode-service")) {
            var container = container(rendered, service);
            var env = environment(rendered, service);
            String scratch = container.getVolumeMounts().stream().filter(m -> m.getName().equals("scratch"))
                    .map(VolumeMount::getMountPath).findFirst().orElseThrow();
            String tmpdir = "-Djava.io.tmpdir=" + scratch;
            if (nativeImage) {
                assertThat(container.getArgs()).as(service).contains(tmpdir);
                assertThat(env).doesNotContainKey("JAVA_OPTS_APPEND");
            } else {
                assertThat(env.get("JAVA_OPTS_APPEND")).as(service).contains(tmpdir);
            }
        }
        var transcode = environment(rendered, "transcode-service");
        assertThat(transcode.get("CLIPFLOW_TRANSCODE_SCRATCH_DIR")).startsWith("/scratch/");
        if (nativeImage) {
            // the static builds the native images carry (Dockerfile.native-micro)
            assertThat(transcode).containsEntry("CLIPFLOW_TRANSCODE_FFMPEG_PATH", "/usr/local/bin/ffmpeg")
                    .containsEntry("CLIPFLOW_TRANSCODE_FFPROBE_PATH", "/usr/local/bin/ffprobe");
            assertThat(environment(rendered, "upload-service"))
                    .containsEntry("CLIPFLOW_UPLOAD_FFPROBE_PATH", "/usr/local/bin/ffprobe");
        } else {
            // the JVM images run the binaries bundled by org.bytedeco:ffmpeg
            assertThat(transcode).doesNotContainKey("CLIPFLOW_TRANSCODE_FFMPEG_PATH");
        }
    }

    @Test
    void theImagesSetOnlySettingsTheServicesReadAndCarryTheFfmpegTheChartPointsTo() throws Exception {
        List<String> unread = new ArrayList<>();
        for (String service : Contract.SERVICES) {
            ServiceSettings settings = ServiceSettings.of(service);
            for (String flavour : List.of("Dockerfile.jvm", "Dockerfile.native-micro")) {
                String dockerfile = Files.readString(ServiceSettings.ROOT.resolve(service).resolve("src/main/docker").resolve(flavour));
                Matcher names = Pattern.compile("(?m)(?:^ENV\\s+|\\s)([A-Z][A-Z0-9_]*)=").matcher(dockerfile);
                while (names.find()) {
                    String name = names.group(1);
                    if (!settings.reads(name) && !IMAGE.contains(name)) {
                        unread.add(service + " " + flavour + ": " + name);
                    }
                }
                if (flavour.endsWith("native-micro") && !service.equals("auth-service") && !service.equals("quota-service")
                        && !service.equals("catalog-service") && !service.equals("notify-service")) {
                    assertThat(dockerfile).as(service).contains("/ffprobe /usr/local/bin/");
                }
            }
        }
        assertThat(unread).as("variables the images set that no setting of the service reads").isEmpty();
    }

    /** The Secret mounted at {@code path} in the service's pod (or null). */
    private static String mountedSecret(ChartRenderer.Rendered rendered, String service, String path) {
        var pod = rendered.named(Deployment.class, objectName(service)).getSpec().getTemplate().getSpec();
        String volume = container(rendered, service).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path)).peek(m -> assertThat(m.getReadOnly()).isTrue())
                .map(VolumeMount::getName).findFirst().orElse(null);
        return pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).map(Volume::getSecret)
                .map(s -> s == null ? null : s.getSecretName()).findFirst().orElse(null);
    }
}
