package dev.clipflow.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Lints and renders the chart offline (helm-java) and parses the manifests into the fabric8 model. */
final class ChartRenderer {

    static final String RELEASE = "cf";
    static final String NAMESPACE = "clipflow";
    static final String KUBE_VERSION = "1.31.0";
    static final Path CHART = Path.of(System.getProperty("clipflow.chart", "helm/clipflow")).toAbsolutePath();
    static final Path PRODUCTION_VALUES = CHART.resolve("values-production.yaml");

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private ChartRenderer() {
    }

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} as with {@code -f values-production.yaml}: helm-java's lint takes no
     * values file, so a copy of the chart gets the defaults deep-merged with the production file.
     */
    @SuppressWarnings("unchecked")
    static LintResult lintWithProductionValues() {
        try {
            Map<String, Object> defaults = Serialization.unmarshal(Files.readString(CHART.resolve("values.yaml")), Map.class);
            Map<String, Object> production = Serialization.unmarshal(Files.readString(PRODUCTION_VALUES), Map.class);
            Path copy = copyChart("chart-lint-production");
            Files.writeString(copy.resolve("values.yaml"), Serialization.asYaml(deepMerge(defaults, production)));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        var merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> overlayMap && merged.get(key) instanceof Map<?, ?> baseMap) {
                merged.put(key, deepMerge((Map<String, Object>) baseMap, (Map<String, Object>) overlayMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** {@code helm template} of the chart (hooks are not part of the output). */
    static String template(List<Path> valuesFiles, Map<String, Object> sets) {
        return template(CHART, valuesFiles, sets);
    }

    static String template(Path chart, List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (var set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    /** The output of a client-only dry-run install (status and rendered NOTES.txt). */
    static String installDryRun(List<Path> valuesFiles) {
        var install = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).dryRun().clientOnly();
        for (Path file : valuesFiles) {
            install = install.withValuesFile(file);
        }
        return install.call().getOutput();
    }

    static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
        return Rendered.of(template(valuesFiles, sets));
    }

    /** The default rendering; also written to target/rendered/default.yaml for reading. */
    static Rendered defaults() {
        return keep("default.yaml", template(List.of(), Map.of()));
    }

    /** The rendering with values-production.yaml; also written to target/rendered/production.yaml. */
    static Rendered production() {
        return keep("production.yaml", template(List.of(PRODUCTION_VALUES), Map.of()));
    }

    private static Rendered keep(String fileName, String yaml) {
        try {
            Path dir = Path.of("target", "rendered");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Rendered.of(yaml);
    }

    /**
     * Renders a copy of the chart with one extra template. helm template leaves hooks (the helm test
     * pod) out, so tests render the hook's named template through this.
     */
    static Rendered renderWithExtraTemplate(String fileName, String template, List<Path> valuesFiles) {
        Path copy = copyChart("chart-copy");
        try {
            Files.writeString(copy.resolve("templates").resolve(fileName), template);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Rendered.of(template(copy, valuesFiles, Map.of()));
    }

    /** A fresh copy of the chart under target/&lt;name&gt;/clipflow. */
    private static Path copyChart(String name) {
        Path copy = Path.of("target", name, "clipflow").toAbsolutePath();
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> walk = Files.walk(copy)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> walk = Files.walk(CHART)) {
                for (Path source : walk.toList()) {
                    Path target = copy.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    static Map<String, Object> sets(Object... pairs) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Every object of one rendering, parsed into the fabric8 model (unknown kinds: GenericKubernetesResource). */
    record Rendered(String yaml, List<HasMetadata> objects) {

        static Rendered of(String yaml) {
            var objects = new ArrayList<HasMetadata>();
            for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
                if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                    continue;
                }
                KubernetesResource parsed = Serialization.unmarshal(document, KubernetesResource.class);
                if (!(parsed instanceof HasMetadata object)) {
                    throw new AssertionError("not a Kubernetes object: " + document);
                }
                objects.add(object);
            }
            return new Rendered(yaml, List.copyOf(objects));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
        }

        List<HasMetadata> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
        }
    }

    /** Name of a service's objects in the test release. */
    static String objectName(String service) {
        return RELEASE + "-clipflow-" + service;
    }
}
