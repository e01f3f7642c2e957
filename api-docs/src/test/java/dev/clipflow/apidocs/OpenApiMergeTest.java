package dev.clipflow.apidocs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public document (src/main/resources/META-INF/resources/api/openapi.json and .yaml) is the merge of the
 * services' documents in services/ (each service's PlatformTest keeps its file equal to what it serves). Fails
 * when a service document changed and the merged one was not regenerated: run with
 * {@code -Dclipflow.openapi.update=true} to write it.
 */
class OpenApiMergeTest {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path SERVED = MODULE.resolve("src/main/resources/META-INF/resources/api");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Test
    void mergedDocumentIsUpToDate() throws IOException {
        ObjectNode merged = OpenApiMerge.merge(services());
        String json = JSON.writeValueAsString(JSON.treeToValue(merged, java.util.TreeMap.class)) + "\n";
        String yaml = YAML.writeValueAsString(JSON.readTree(json));
        if (Boolean.getBoolean("clipflow.openapi.update")) {
            Files.createDirectories(SERVED);
            Files.writeString(SERVED.resolve("openapi.json"), json);
            Files.writeString(SERVED.resolve("openapi.yaml"), yaml);
            return;
        }
        assertThat(JSON.readTree(SERVED.resolve("openapi.json").toFile()))
                .as("api-docs/services/*.json changed but openapi.json was not regenerated: run "
                        + "./mvnw -pl api-docs test -Dtest=OpenApiMergeTest -Dclipflow.openapi.update=true")
                .isEqualTo(JSON.readTree(json));
        assertThat(JSON.readTree(YAML.readTree(SERVED.resolve("openapi.yaml").toFile()).toString()))
                .as("openapi.yaml is the same document as openapi.json").isEqualTo(JSON.readTree(json));
    }

    @Test
    void everyPublicOperationDocumentsItsSuccessAndProblemResponses() throws IOException {
        JsonNode merged = OpenApiMerge.merge(services());
        assertThat(merged.path("openapi").asText()).startsWith("3.1");
        assertThat(merged.path("components").path("securitySchemes").has("bearerAuth")).isTrue();
        assertThat(merged.path("components").path("schemas").path("Problem").path("required").toString()).contains("code");
        merged.path("paths").fields().forEachRemaining(path -> {
            assertThat(path.getKey()).startsWith("/api/");
            path.getValue().fields().forEachRemaining(op -> {
                if (!OpenApiMerge.METHODS.contains(op.getKey())) {
                    return;
                }
                JsonNode responses = op.getValue().path("responses");
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                assertThat(responses.fieldNames()).as(where + " has a success response")
                        .toIterable().anyMatch(code -> code.startsWith("2") || code.startsWith("3"));
                assertThat(responses.path("default").path("content").has("application/problem+json"))
                        .as(where + " documents its problems").isTrue();
                responses.fields().forEachRemaining(r -> {
                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                        assertThat(r.getValue().path("content").has("application/problem+json"))
                                .as(where + " " + r.getKey() + " is a problem").isTrue();
                    }
                });
            });
        });
    }

    /**
     * Every public operation shows what to send and what comes back: an example of each JSON, multipart or text
     * request body, of each JSON or text success answer (HEAD has none; video, image and tus bytes need none), and of
     * each problem response, whose examples have the response's status and a code docs/problems.md lists.
     */
    @Test
    void everyPublicOperationHasRequestSuccessAndProblemExamples() throws IOException {
        JsonNode merged = OpenApiMerge.merge(services());
        String catalogue = Files.readString(MODULE.getParent().resolve("docs/problems.md"));
        List<String> missing = new java.util.ArrayList<>();
        merged.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!OpenApiMerge.METHODS.contains(op.getKey())) {
                return;
            }
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            op.getValue().path("requestBody").path("content").fields().forEachRemaining(media -> {
                if (describable(media.getKey()) && !hasExample(media.getValue())) {
                    missing.add(where + ": request " + media.getKey());
                }
            });
            op.getValue().path("responses").fields().forEachRemaining(response -> {
                String status = response.getKey();
                JsonNode content = response.getValue().path("content");
                if (status.startsWith("2") && !op.getKey().equals("head")) {
                    content.fields().forEachRemaining(media -> {
                        if (describable(media.getKey()) && !hasExample(media.getValue())) {
                            missing.add(where + ": " + status + " " + media.getKey());
                        }
                    });
                } else if (status.startsWith("4") || status.startsWith("5") || status.equals("default")) {
                    JsonNode problem = content.path("application/problem+json");
                    if (!problem.has("examples") || problem.path("examples").isEmpty()) {
                        missing.add(where + ": " + status + " problem");
                        return;
                    }
                    problem.path("examples").fields().forEachRemaining(example -> {
                        JsonNode value = example.getValue().path("value");
                        if (!status.equals("default") && value.path("status").asInt() != Integer.parseInt(status)) {
                            missing.add(where + ": " + status + " example " + example.getKey() + " has status " + value.path("status"));
                        }
                        if (!catalogue.contains("`" + value.path("code").asText() + "`")) {
                            missing.add(where + ": " + status + " example code " + value.path("code") + " is not in docs/problems.md");
                        }
                    });
                }
            });
        }));
        assertThat(missing).as("operations without examples (problem module: OperationExamples)").isEmpty();
    }

    private static boolean describable(String mediaType) {
        return mediaType.contains("json") || mediaType.startsWith("multipart/") || mediaType.startsWith("text/")
                || mediaType.contains("mpegurl");
    }

    private static boolean hasExample(JsonNode media) {
        return media.has("example") || (media.has("examples") && !media.path("examples").isEmpty());
    }

    static List<JsonNode> services() throws IOException {
        try (var files = Files.list(MODULE.resolve("services"))) {
            List<Path> paths = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(paths).as("api-docs/services/ holds one document per service").hasSize(6);
            List<JsonNode> docs = new java.util.ArrayList<>();
            for (Path p : paths) {
                docs.add(JSON.readTree(p.toFile()));
            }
            return docs;
        }
    }
}
