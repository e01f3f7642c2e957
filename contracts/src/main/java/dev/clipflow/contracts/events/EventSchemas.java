package dev.clipflow.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates events against the JSON Schemas shipped in this module: the CloudEvents envelope and
 * the {@code data} of each topic. Consumers call it before acting on an event; a non-empty result
 * sends the event to the dead-letter topic with the messages as the reason.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private EventSchemas() {
    }

    /** Problems with a whole event (envelope, type matching the topic, data), empty when valid. */
    public static List<String> validateEvent(String topic, JsonNode event) {
        List<String> problems = new java.util.ArrayList<>(messages(schema("cloudevent"), event));
        if (!problems.isEmpty()) {
            return problems;
        }
        String expected = Topics.eventType(topic);
        if (!expected.equals(event.path("type").asText())) {
            problems.add("$.type: expected " + expected + " but was " + event.path("type").asText());
        }
        problems.addAll(validateData(topic, event.path("data")));
        return problems;
    }

    /** Problems with the {@code data} of an event on {@code topic}, empty when valid. */
    public static List<String> validateData(String topic, JsonNode data) {
        if (!Topics.ALL.contains(topic)) {
            throw new IllegalArgumentException("No schema for topic " + topic);
        }
        return messages(schema(topic), data);
    }

    private static List<String> messages(JsonSchema schema, JsonNode node) {
        return schema.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema schema(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = EventSchemas.class.getResourceAsStream("/schemas/" + n + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("Missing schema /schemas/" + n + ".json");
                }
                return FACTORY.getSchema(in, CONFIG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
