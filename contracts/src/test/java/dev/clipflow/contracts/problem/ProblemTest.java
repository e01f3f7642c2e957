package dev.clipflow.contracts.problem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.EventJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

    @Test
    void serialisesAsRfc9457WithExtensionsInline() {
        Problem problem = Problem.of(409, "upload.incomplete", "Conflict", "Chunks are missing.")
                .with("missingChunks", List.of(2, 5))
                .at("/api/uploads/x/complete");

        JsonNode json = EventJson.mapper().valueToTree(problem);

        assertThat(json.get("type").asText()).isEqualTo("https://clipflow.dev/problems/upload/incomplete");
        assertThat(json.get("status").asInt()).isEqualTo(409);
        assertThat(json.get("code").asText()).isEqualTo("upload.incomplete");
        assertThat(json.get("instance").asText()).isEqualTo("/api/uploads/x/complete");
        assertThat(json.get("missingChunks")).hasSize(2);
        assertThat(json.has("extensions")).isFalse();
    }
}
