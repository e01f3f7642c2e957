package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipflow.contracts.events.EventJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * The operations every service declares in its OpenAPI document ({@code /q/openapi}), as the sweeps walk
 * them: so a new endpoint is swept the day it is added, without touching the tests.
 */
final class OpenApi {

    /** Service name -> the Stack's port name. */
    static final Map<String, String> SERVICES = Map.of(
            "auth-service", "AUTH", "upload-service", "UPLOAD", "transcode-service", "TRANSCODE",
            "catalog-service", "CATALOG", "quota-service", "QUOTA", "notify-service", "NOTIFY");

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static List<Operation> cached;

    private OpenApi() {
    }

    /**
     * One operation. {@code roles}: the scopes of its security requirement (quarkus-smallrye-openapi lists
     * the {@code @RolesAllowed} roles there); {@code secured}: it has a security requirement at all.
     */
    record Operation(String service, String method, String path, boolean secured, List<String> roles,
            List<String> bodyTypes, boolean bodyRequired, JsonNode bodySchema, JsonNode document, JsonNode parameters) {

        /** Query parameter name -> its resolved schema. */
        Map<String, JsonNode> queryParameters() {
            Map<String, JsonNode> query = new LinkedHashMap<>();
            parameters.forEach(p -> {
                if ("query".equals(p.path("in").asText())) {
                    query.put(p.path("name").asText(), resolve(p.path("schema")));
                }
            });
            return query;
        }

        /** {@code METHOD /path}, as the allow-lists name operations. */
        String signature() {
            return method + " " + path;
        }

        boolean hasPathParameters() {
            return path.contains("{");
        }

        List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            Matcher matcher = PARAM.matcher(path);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        /** Admin-only: under {@code /api/admin/}, or documented with the {@code admin} role. */
        boolean adminOnly() {
            return path.startsWith("/api/admin/") || roles.contains("admin");
        }

        /** Routed by the gateway (the contract's {@code /api/...} prefixes); internal paths are not. */
        boolean routed() {
            return path.startsWith("/api/");
        }

        /** The URL through the gateway (or straight to the service for internal paths), path parameters filled in. */
        String url(Function<String, String> parameterValue) {
            StringBuilder filled = new StringBuilder();
            Matcher matcher = PARAM.matcher(path);
            while (matcher.find()) {
                matcher.appendReplacement(filled, Matcher.quoteReplacement(parameterValue.apply(matcher.group(1))));
            }
            matcher.appendTail(filled);
            String base = routed() ? Stack.get().gateway() : "http://127.0.0.1:" + Stack.get().port(SERVICES.get(service));
            return base + filled;
        }

        /** Random UUIDs for every path parameter ({@code index} = 0). */
        String urlWithRandomIds() {
            return url(name -> name.equals("index") ? "0" : UUID.randomUUID().toString());
        }

        /** The first declared body type, or null. */
        String bodyType() {
            return bodyTypes.isEmpty() ? null : bodyTypes.get(0);
        }

        boolean jsonBody() {
            return bodyType() != null && bodyType().contains("json");
        }

        /** The body schema with {@code $ref}s resolved (one level at a time), or an empty object. */
        JsonNode schema() {
            return resolve(bodySchema == null ? JsonNodeFactory.instance.objectNode() : bodySchema);
        }

        JsonNode resolve(JsonNode schema) {
            JsonNode resolved = schema;
            for (int i = 0; i < 5 && resolved.has("$ref"); i++) {
                String ref = resolved.get("$ref").asText();
                resolved = document.at(ref.substring(1));
            }
            return resolved;
        }

        /** The body's properties (name -> resolved schema), empty when it has none. */
        Map<String, JsonNode> properties() {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            schema().path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), resolve(e.getValue())));
            return properties;
        }

        List<String> requiredProperties() {
            List<String> required = new ArrayList<>();
            schema().path("required").forEach(n -> required.add(n.asText()));
            return required;
        }

        @Override
        public String toString() {
            return service + " " + signature();
        }
    }

    /** Every operation of every service. */
    static synchronized List<Operation> all() {
        if (cached == null) {
            List<Operation> found = new ArrayList<>();
            SERVICES.keySet().stream().sorted().forEach(service -> found.addAll(of(service)));
            cached = List.copyOf(found);
        }
        return cached;
    }

    static List<Operation> of(String service) {
        int port = Stack.get().port(SERVICES.get(service));
        JsonNode doc;
        try {
            doc = EventJson.mapper().readTree(given().get("http://127.0.0.1:" + port + "/q/openapi?format=json").asString());
        } catch (Exception e) {
            throw new IllegalStateException("No OpenAPI document from " + service, e);
        }
        JsonNode globalSecurity = doc.path("security");
        List<Operation> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!METHODS.contains(method)) {
                    continue;
                }
                JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : globalSecurity;
                List<String> roles = new ArrayList<>();
                security.forEach(requirement -> requirement.fields()
                        .forEachRemaining(scheme -> scheme.getValue().forEach(role -> roles.add(role.asText()))));
                JsonNode body = op.getValue().path("requestBody");
                List<String> types = new ArrayList<>();
                body.path("content").fieldNames().forEachRemaining(types::add);
                JsonNode schema = types.isEmpty() ? null : body.path("content").path(types.get(0)).get("schema");
                found.add(new Operation(service, method, path.getKey(), security.size() > 0, List.copyOf(roles),
                        List.copyOf(types), body.path("required").asBoolean(false), schema, doc,
                        op.getValue().path("parameters")));
            }
        }
        return found;
    }

    /** A new empty JSON object. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
