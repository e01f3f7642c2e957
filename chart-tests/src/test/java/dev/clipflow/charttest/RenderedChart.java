package dev.clipflow.charttest;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code helm template} of the chart (helm-java, offline) parsed into the fabric8 model: the
 * Deployments, ConfigMaps, Secrets, Services and Ingresses a cluster would be given.
 */
record RenderedChart(String yaml, List<HasMetadata> objects) {

    static final String RELEASE = "cf";
    static final String NAMESPACE = "clipflow";
    static final String KUBE_VERSION = "1.31.0";
    static final Path CHART = Path.of(System.getProperty("clipflow.chart", "../deploy/helm/clipflow")).toAbsolutePath();

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    /** Renders the chart with the values files (in order) and {@code --set} values; keeps the output in {@code keep}. */
    static RenderedChart render(List<Path> valuesFiles, Map<String, Object> sets, Path keep) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (var set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String yaml = command.call();
        try {
            Files.createDirectories(keep.getParent());
            Files.writeString(keep, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var objects = new ArrayList<HasMetadata>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            KubernetesResource parsed = Serialization.unmarshal(document, KubernetesResource.class);
            if (parsed instanceof HasMetadata object) {
                objects.add(object);
            }
        }
        return new RenderedChart(yaml, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    List<Ingress> ingresses() {
        return all(Ingress.class);
    }

    List<Service> services() {
        return all(Service.class);
    }

    Optional<ConfigMap> configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst();
    }

    Optional<Secret> secret(String name) {
        return all(Secret.class).stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }

    /** The service a Deployment runs: its {@code app.kubernetes.io/component} label (e.g. {@code auth-service}). */
    static String component(HasMetadata object) {
        return object.getMetadata().getLabels().get("app.kubernetes.io/component");
    }
}
