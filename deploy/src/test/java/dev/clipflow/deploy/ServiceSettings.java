package dev.clipflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings a service reads, derived from its sources: the {@code ${ENV}} references and the keys
 * of its {@code application.properties} (every profile), and the properties of the
 * {@code @ConfigMapping} interfaces of the service and of the shared modules it depends on. Each is
 * turned into the environment variable SmallRye Config maps onto it (upper case, every character
 * other than a letter or digit an underscore), so a chart's environment can be checked against it.
 */
record ServiceSettings(String service, Set<String> environment, Map<String, String> properties) {

    static final Path ROOT = ChartRenderer.CHART.resolve("../../..").normalize();

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)\\s*\\{");
    private static final Pattern METHOD = Pattern.compile("([\\w.<>, ?]+?)\\s+(\\w+)\\(\\)\\s*;");
    private static final List<String> SHARED_MODULES = List.of("contracts", "problem", "outbox", "storage");

    static ServiceSettings of(String service) {
        Path module = ROOT.resolve(service);
        Set<String> environment = new TreeSet<>();
        Map<String, String> properties = new LinkedHashMap<>();
        try {
            String text = Files.readString(module.resolve("src/main/resources/application.properties"));
            Matcher reference = REFERENCE.matcher(text);
            while (reference.find()) {
                environment.add(reference.group(1));
            }
            Properties file = new Properties();
            file.load(new java.io.StringReader(text));
            for (String key : file.stringPropertyNames()) {
                properties.put(key, file.getProperty(key));
                environment.add(env(key.replaceFirst("^%[a-z]+\\.", "")));
            }
            String pom = Files.readString(module.resolve("pom.xml"));
            List<Path> sources = new ArrayList<>(List.of(module.resolve("src/main/java")));
            for (String shared : SHARED_MODULES) {
                if (pom.contains("<artifactId>" + shared + "</artifactId>")) {
                    sources.add(ROOT.resolve(shared).resolve("src/main/java"));
                }
            }
            for (Path source : sources) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file1 : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        String java = Files.readString(file1);
                        Matcher mapping = MAPPING.matcher(java);
                        if (mapping.find()) {
                            mappingProperties(mapping.group(1), java).forEach(p -> environment.add(env(p)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceSettings(service, environment, properties);
    }

    /** Whether the environment variable {@code name} reaches a setting this service reads. */
    boolean reads(String name) {
        return environment.contains(name)
                // a map property (e.g. clipflow.auth.service-clients.<id>) takes any key below it
                || environment.stream().anyMatch(e -> e.endsWith("_*") && name.startsWith(e.substring(0, e.length() - 1)));
    }

    /** The value of a property in a profile ({@code prod}), falling back to the plain key. */
    String property(String key, String profile) {
        return properties.getOrDefault("%" + profile + "." + key, properties.get(key));
    }

    /** SmallRye Config's environment variable of a property name. */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9*]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The property names of a {@code @ConfigMapping} interface: one per method, kebab-cased under the
     * prefix; a method returning a nested interface of the file is a group, a {@code Map} takes keys.
     */
    static List<String> mappingProperties(String prefix, String java) {
        Map<String, String> bodies = new HashMap<>();
        String top = null;
        Matcher header = INTERFACE.matcher(java);
        while (header.find()) {
            int open = header.end() - 1;
            int depth = 0;
            int end = open;
            for (int i = open; i < java.length(); i++) {
                char c = java.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth == 0) {
                    end = i;
                    break;
                }
            }
            bodies.put(header.group(1), stripNested(java.substring(open + 1, end)));
            if (top == null) {
                top = header.group(1);
            }
        }
        List<String> names = new ArrayList<>();
        collect(prefix, top, bodies, names);
        return names;
    }

    private static void collect(String prefix, String type, Map<String, String> bodies, List<String> names) {
        String body = bodies.get(type).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("@\\w+(\\([^)]*\\))?", "");
        Matcher method = METHOD.matcher(body);
        while (method.find()) {
            String returns = method.group(1).trim();
            String name = prefix + "." + kebab(method.group(2));
            if (bodies.containsKey(returns)) {
                collect(name, returns, bodies, names);
            } else if (returns.startsWith("Map<")) {
                names.add(name + ".*");
            } else {
                names.add(name);
            }
        }
    }

    /** The body of an interface without the bodies of the interfaces nested in it. */
    private static String stripNested(String body) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString().replaceAll("interface\\s+\\w+\\s*", "");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
