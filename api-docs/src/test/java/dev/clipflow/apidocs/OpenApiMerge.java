package dev.clipflow.apidocs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the services' OpenAPI documents into the public one: the /api/ paths of every service (the gateway
 * publishes nothing else), the schemas they reach, one bearer scheme. Two services defining the same schema
 * name differently, or the same path, is an error, not something to paper over.
 */
final class OpenApiMerge {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private OpenApiMerge() {
    }

    static ObjectNode merge(List<JsonNode> services) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> paths = new TreeMap<>();
        Map<String, JsonNode> schemas = new TreeMap<>();
        Map<String, String> schemaOwner = new TreeMap<>();
        Map<String, JsonNode> schemes = new TreeMap<>();
        for (JsonNode original : services) {
            String service = original.path("info").path("title").asText();
            JsonNode doc = renameClashes(original, schemas, prefix(service));
            doc.path("paths").fields().forEachRemaining(p -> {
                if (!p.getKey().startsWith("/api/")) {
                    return; // /internal and /q stay inside the cluster
                }
                if (paths.put(p.getKey(), p.getValue()) != null) {
                    throw new IllegalStateException(p.getKey() + " is served by two services");
                }
            });
            doc.path("components").path("schemas").fields().forEachRemaining(s -> {
                JsonNode before = schemas.putIfAbsent(s.getKey(), s.getValue());
                if (before != null && !before.equals(s.getValue())) {
                    throw new IllegalStateException("schema " + s.getKey() + " differs between " + schemaOwner.get(s.getKey())
                            + " and " + service + " even after renaming: rename one (@Schema(name = ...))");
                }
                schemaOwner.putIfAbsent(s.getKey(), service);
            });
            doc.path("components").path("securitySchemes").fields().forEachRemaining(s -> {
                JsonNode before = schemes.putIfAbsent(s.getKey(), s.getValue());
                if (before != null && !before.equals(s.getValue())) {
                    throw new IllegalStateException("security scheme " + s.getKey() + " differs in " + service);
                }
            });
        }
        ObjectNode out = f.objectNode();
        out.put("openapi", services.get(0).path("openapi").asText("3.1.0"));
        ObjectNode info = out.putObject("info");
        info.put("title", "Clipflow API");
        info.put("version", services.get(0).path("info").path("version").asText("1.0"));
        info.put("description", """
                The public API of Clipflow, a video platform: accounts and tokens (auth), uploads (chunked and tus), \
                transcoding jobs, the catalogue with playback and share links, and storage quotas. Every path is \
                served through one gateway. Errors are `application/problem+json` with a stable `code` \
                (catalogue: docs/problems.md). A step-by-step walkthrough with curl: docs/walkthrough.md.""");
        out.putArray("servers").addObject().put("url", "/").put("description", "The gateway this document is served by");
        ObjectNode outPaths = out.putObject("paths");
        paths.forEach(outPaths::set);
        ObjectNode components = out.putObject("components");
        ObjectNode outSchemas = components.putObject("schemas");
        for (String name : reachable(paths.values(), schemas)) {
            outSchemas.set(name, nullableOptionals(schemas.get(name)));
        }
        ObjectNode outSchemes = components.putObject("securitySchemes");
        schemes.forEach(outSchemes::set);
        return out;
    }

    /**
     * Two services naming different schemas alike (upload's and catalog's {@code Accepted}): the later one's
     * becomes {@code <Service><Name>} (e.g. {@code UploadAccepted}) in its document, references included.
     */
    private static JsonNode renameClashes(JsonNode doc, Map<String, JsonNode> merged, String prefix) {
        Map<String, String> renames = new TreeMap<>();
        doc.path("components").path("schemas").fields().forEachRemaining(s -> {
            JsonNode before = merged.get(s.getKey());
            if (before != null && !before.equals(s.getValue())) {
                renames.put(s.getKey(), prefix + s.getKey());
            }
        });
        if (renames.isEmpty()) {
            return doc;
        }
        JsonNode copy = doc.deepCopy();
        ObjectNode schemas = (ObjectNode) copy.path("components").path("schemas");
        renames.forEach((from, to) -> schemas.set(to, schemas.remove(from)));
        rewriteRefs(copy, renames);
        return copy;
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                String name = ref.asText().substring("#/components/schemas/".length());
                if (renames.containsKey(name)) {
                    object.put("$ref", "#/components/schemas/" + renames.get(name));
                }
            }
        }
        node.elements().forEachRemaining(child -> rewriteRefs(child, renames));
    }

    /** "Clipflow upload-service" -> "Upload". */
    private static String prefix(String title) {
        String name = title.replace("Clipflow ", "").replace("-service", "");
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * The services write JSON with Jackson's defaults, so an optional (not {@code required}) property without a
     * value is {@code null} on the wire (a video's {@code failureReason}, a job's {@code error}); SmallRye documents
     * it as its Java type only. Here each such property of a plain type also admits {@code "null"}.
     */
    private static JsonNode nullableOptionals(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        JsonNode properties = copy.path("properties");
        if (!properties.isObject()) {
            return copy;
        }
        Set<String> required = new TreeSet<>();
        copy.path("required").forEach(r -> required.add(r.asText()));
        properties.fields().forEachRemaining(p -> {
            if (required.contains(p.getKey()) || !p.getValue().isObject()) {
                return;
            }
            ObjectNode property = (ObjectNode) p.getValue();
            JsonNode type = property.get("type");
            if (type != null && type.isTextual() && !type.asText().equals("null")) {
                property.putArray("type").add(type.asText()).add("null");
            } else if (type != null && type.isArray() && !type.toString().contains("\"null\"")) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) type).add("null");
            } else if (type == null && property.has("$ref")) {
                JsonNode ref = property.remove("$ref");
                property.putArray("anyOf").add(JsonNodeFactory.instance.objectNode().set("$ref", ref))
                        .add(JsonNodeFactory.instance.objectNode().put("type", "null"));
            }
        });
        return copy;
    }

    /** The schema names the paths refer to, directly or through other schemas. */
    private static Set<String> reachable(Iterable<JsonNode> roots, Map<String, JsonNode> schemas) {
        Set<String> seen = new TreeSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        roots.forEach(todo::add);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isObject() && node.has("$ref")) {
                String ref = node.get("$ref").asText();
                String name = ref.substring(ref.lastIndexOf('/') + 1);
                if (ref.startsWith("#/components/schemas/") && seen.add(name)) {
                    JsonNode schema = schemas.get(name);
                    if (schema == null) {
                        throw new IllegalStateException("no schema " + name);
                    }
                    todo.add(schema);
                }
            }
            node.elements().forEachRemaining(todo::add);
        }
        return seen;
    }
}
