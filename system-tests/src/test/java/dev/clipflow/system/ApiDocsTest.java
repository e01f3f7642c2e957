package dev.clipflow.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md (the public contract) and the services' OpenAPI documents say the same: every route the page
 * names is an operation a service serves, and every operation routed by the gateway is on the page.
 */
@ExtendWith(Stack.class)
class ApiDocsTest {

    /** {@code GET /api/...}, {@code GET|PUT|DELETE /api/...}: a method (or several) and a path. */
    private static final Pattern ROUTE = Pattern.compile(
            "\\b((?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(?:\\|(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS))*)\\s+(/api/[A-Za-z0-9_./{}-]*)");

    @Test
    void everyRouteTheContractNamesIsServed() throws IOException {
        Set<String> served = served();
        Set<String> documented = documented();
        assertThat(documented).as("routes in docs/api.md").hasSizeGreaterThan(40);
        assertThat(new TreeSet<>(documented)).as("routes docs/api.md names that no service's OpenAPI document has")
                .filteredOn(route -> served.stream().noneMatch(op -> matches(route, op))).isEmpty();
    }

    @Test
    void everyPublicOperationIsInTheContract() throws IOException {
        Set<String> documented = documented();
        assertThat(new TreeSet<>(served())).as("operations the gateway routes that docs/api.md does not name")
                .isSubsetOf(documented);
    }

    /** A documented route is served by an operation when every segment is equal or a parameter there. */
    static boolean matches(String documented, String served) {
        String[] d = documented.split("[ /]+");
        String[] s = served.split("[ /]+");
        if (d.length != s.length) {
            return false;
        }
        for (int i = 0; i < d.length; i++) {
            if (!d[i].equals(s[i]) && !s[i].equals("{}")) {
                return false;
            }
        }
        return true;
    }

    /** {@code METHOD /path} with every path parameter written {@code {}}. */
    static String normalise(String method, String path) {
        String p = path.replaceAll("\\{[^}]*}", "{}");
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return method + " " + p;
    }

    private static Set<String> served() {
        Set<String> served = new LinkedHashSet<>();
        OpenApi.all().stream().filter(OpenApi.Operation::routed)
                .forEach(op -> served.add(normalise(op.method(), op.path())));
        return served;
    }

    static Set<String> documented() throws IOException {
        String page = Files.readString(Stack.get().root().resolve("docs/api.md"));
        Set<String> routes = new LinkedHashSet<>();
        Matcher m = ROUTE.matcher(page);
        while (m.find()) {
            String path = m.group(2).replaceAll("[.]+$", "");
            for (String method : m.group(1).split("\\|")) {
                routes.add(normalise(method, path));
            }
        }
        return routes;
    }
}
