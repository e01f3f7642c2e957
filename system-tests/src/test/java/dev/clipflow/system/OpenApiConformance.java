package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks every response REST Assured gets from the gateway against the public OpenAPI document the gateway
 * serves ({@code /api/openapi.json}): the operation is documented, the status is one of its responses (or its
 * {@code default}), the media type is documented, a JSON body validates against the schema (JSON Schema 2020-12,
 * as OpenAPI 3.1 uses), and nothing is a 5xx. Violations are collected, not thrown, so a test can list them all.
 *
 * <p>Written by hand: swagger-request-validator, the usual library for this, is not in the Maven mirror here.
 */
final class OpenApiConformance implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final String gateway;
    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    private record Operation(String method, String template, Pattern pattern, JsonNode node) {
    }

    OpenApiConformance(String gateway, JsonNode document) {
        this.gateway = gateway;
        this.document = document;
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(new Operation(op.getKey(), path.getKey(), pattern(path.getKey()), op.getValue()));
            }
        }));
        // literal paths first: /api/videos/merge before /api/videos/{id}
        operations.sort((a, b) -> Long.compare(a.template.chars().filter(c -> c == '{').count(),
                b.template.chars().filter(c -> c == '{').count()));
    }

    static OpenApiConformance of(String gateway) {
        try {
            String body = io.restassured.RestAssured.given().get(gateway + "/api/openapi.json").then().statusCode(200)
                    .extract().asString();
            return new OpenApiConformance(gateway, JSON.readTree(body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** "GET /api/videos/{id} 200" for every response checked. */
    Set<String> checked() {
        return Set.copyOf(checked);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        String uri = request.getURI();
        if (uri.startsWith(gateway)) {
            String path = URI.create(uri).getRawPath();
            if (path.startsWith("/api/")) {
                check(request.getMethod().toLowerCase(Locale.ROOT), path, response);
            }
        }
        return response;
    }

    void check(String method, String path, Response response) {
        int status = response.statusCode();
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + status;
        if (status >= 500) {
            violations.add(where + ": a 5xx (" + response.asString() + ")");
        }
        Operation operation = operations.stream()
                .filter(op -> op.method.equals(method) && op.pattern.matcher(path).matches())
                .findFirst().orElse(null);
        if (operation == null) {
            if (!method.equals("options")) { // CORS preflights are answered before any operation
                violations.add(where + ": no such operation in the document");
            }
            return;
        }
        JsonNode responses = operation.node.path("responses");
        JsonNode documented = responses.path(String.valueOf(status));
        String key = String.valueOf(status);
        if (documented.isMissingNode()) {
            documented = responses.path(key.charAt(0) + "XX");
        }
        if (documented.isMissingNode()) {
            if (status < 400) {
                violations.add(where + ": status not documented for " + operation.template);
                return;
            }
            documented = responses.path("default");
            key = "default";
        }
        if (documented.isMissingNode()) {
            violations.add(where + ": status not documented for " + operation.template);
            return;
        }
        checked.add(method.toUpperCase(Locale.ROOT) + " " + operation.template + " " + status);
        String body = method.equals("head") || status == 204 || status == 304 ? "" : response.asString();
        String contentType = response.contentType() == null ? "" : response.contentType().split(";")[0].trim();
        if (body.isEmpty()) {
            return;
        }
        JsonNode content = documented.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            violations.add(where + ": a " + contentType + " body, but the document names no content");
            return;
        }
        JsonNode media = mediaType(content, contentType);
        if (media == null) {
            violations.add(where + ": media type " + contentType + " not documented (" + fieldNames(content) + ")");
            return;
        }
        if (!(contentType.endsWith("/json") || contentType.endsWith("+json")) || !media.has("schema")) {
            return;
        }
        try {
            JsonNode value = JSON.readTree(body);
            Set<ValidationMessage> errors = schema(operation, key, contentType, media.get("schema")).validate(value);
            if (!errors.isEmpty()) {
                violations.add(where + ": body does not match the schema: " + errors + " body: "
                        + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            }
        } catch (java.io.IOException e) {
            violations.add(where + ": " + contentType + " body is not JSON");
        }
    }

    private JsonSchema schema(Operation op, String status, String mediaType, JsonNode schema) {
        return schemas.computeIfAbsent(op.method + " " + op.template + " " + status + " " + mediaType, k -> {
            ObjectNode root = schema.isObject() ? schema.deepCopy() : JSON.createObjectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("components", document.path("components")); // so "#/components/schemas/X" resolves
            return factory.getSchema(root);
        });
    }

    private static JsonNode mediaType(JsonNode content, String contentType) {
        if (content.has(contentType)) {
            return content.get(contentType);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.equals("*/*") || (name.endsWith("/*") && contentType.startsWith(name.substring(0, name.length() - 1)))) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** /api/videos/{id}/hls/{path}: a parameter is one segment, except {path} (HLS files below a rendition). */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder("^");
        java.util.regex.Matcher params = Pattern.compile("\\{([^}]+)}").matcher(template);
        int at = 0;
        while (params.find()) {
            regex.append(Pattern.quote(template.substring(at, params.start())));
            regex.append(params.group(1).equals("path") ? ".+" : "[^/]+");
            at = params.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        return Pattern.compile(regex.append("$").toString());
    }
}
