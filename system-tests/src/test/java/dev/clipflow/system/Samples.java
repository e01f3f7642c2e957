package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipflow.system.OpenApi.Operation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * A well-formed JSON body for each operation, so a sweep can change one thing at a time (bad input) or
 * get past validation to the ownership check. Operations named here get a body that makes sense for
 * them and is harmless when accepted; any other (new) operation gets one built from its schema:
 * every required property with a value of its type.
 */
final class Samples {

    private Samples() {
    }

    /** Harmless when accepted: wrong passwords, unknown tokens, no-op changes, random reservation ids. */
    private static final Map<String, Function<Owned, ObjectNode>> KNOWN = Map.ofEntries(
            Map.entry("POST /api/auth/register", o -> json("email", email(), "password", "Correct-Horse-987654",
                    "displayName", "Sample")),
            Map.entry("POST /api/admin/users", o -> json("email", email(), "password", "Correct-Horse-987654",
                    "displayName", "Sample")),
            Map.entry("PUT /api/admin/users/{id}", o -> json("displayName", "Owner")),
            Map.entry("POST /api/auth/login", o -> json("email", o.user().email(), "password", "Not-The-Password-1")),
            Map.entry("POST /api/auth/activate", o -> json("token", "not-a-real-activation-token")),
            Map.entry("POST /api/auth/refresh", o -> json("refreshToken", "not-a-real-refresh-token")),
            Map.entry("POST /api/auth/logout", o -> json("refreshToken", "not-a-real-refresh-token")),
            Map.entry("POST /api/auth/password", o -> json("currentPassword", "Not-The-Password-1",
                    "newPassword", "Correct-Horse-987654")),
            Map.entry("POST /api/auth/password-reset", o -> json("email", email())),
            Map.entry("POST /api/auth/password-reset/confirm", o -> json("token", "not-a-real-reset-token",
                    "newPassword", "Correct-Horse-987654")),
            Map.entry("POST /api/uploads", o -> json("fileName", Videos.unique() + ".mp4", "size", 1000)),
            Map.entry("POST /api/categories", o -> json("name", Videos.unique())),
            Map.entry("POST /api/videos/merge", o -> {
                ObjectNode body = json("title", "Merged");
                // two distinct ids (the same one twice is 400 edit.duplicate_video); the second names no video
                body.putArray("videoIds").add(o.videoId().toString()).add(java.util.UUID.randomUUID().toString());
                return body;
            }),
            Map.entry("PATCH /api/videos/{id}", o -> json("title", "Private " + o.word())),
            Map.entry("POST /api/videos/{id}/share", o -> json("expiresInSeconds", 600)),
            Map.entry("POST /api/videos/{id}/trim", o -> json("startSeconds", 0.1, "endSeconds", 0.6)),
            Map.entry("PUT /api/admin/quota/{userId}", o -> json("storageLimitBytes", 52428800L,
                    "bandwidthLimitBytes", 1073741824L)),
            Map.entry("POST /internal/quota/reservations", o -> json("reservationId", UUID.randomUUID().toString(),
                    "userId", o.user().id().toString(), "bytes", 1, "videoId", UUID.randomUUID().toString(),
                    "fileName", Videos.unique() + ".mp4")),
            Map.entry("POST /internal/quota/reservations/{reservationId}/commit", o -> json("sizeBytes", 1000)));

    /** A well-formed body for {@code op} on behalf of {@code owner}'s resources. */
    static ObjectNode valid(Operation op, Owned owner) {
        Function<Owned, ObjectNode> known = KNOWN.get(op.signature());
        if (known != null) {
            return known.apply(owner);
        }
        ObjectNode body = OpenApi.object();
        for (String name : op.requiredProperties()) {
            JsonNode schema = op.properties().get(name);
            body.set(name, schema == null ? OpenApi.object().textNode("x") : value(op, schema));
        }
        return body;
    }

    /** A plausible value of a schema's type. */
    static JsonNode value(Operation op, JsonNode schema) {
        var nodes = OpenApi.object();
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String format = schema.path("format").asText();
        return switch (schema.path("type").asText()) {
            case "integer" -> nodes.numberNode(1);
            case "number" -> nodes.numberNode(1.0);
            case "boolean" -> nodes.booleanNode(true);
            case "array" -> nodes.arrayNode().add(value(op, op.resolve(schema.path("items"))));
            case "object" -> OpenApi.object();
            default -> switch (format) {
                case "uuid" -> nodes.textNode(UUID.randomUUID().toString());
                case "date-time" -> nodes.textNode(Instant.now().plusSeconds(3600).toString());
                case "email" -> nodes.textNode(email());
                default -> nodes.textNode("x" + Videos.unique());
            };
        };
    }

    static String email() {
        return "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static ObjectNode json(Object... pairs) {
        ObjectNode node = OpenApi.object();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], dev.clipflow.contracts.events.EventJson.mapper().valueToTree(pairs[i + 1]));
        }
        return node;
    }
}
