package dev.clipflow.upload.tus.service;

import dev.clipflow.contracts.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** tus {@code Upload-Metadata}: comma-separated {@code key base64value} pairs (value optional). */
public final class TusMetadata {

    private TusMetadata() {
    }

    public static Map<String, String> parse(String header) {
        Map<String, String> values = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.trim().split(" ");
            if (parts.length == 0 || parts[0].isEmpty() || parts.length > 2) {
                throw ProblemException.badRequest("tus.invalid_metadata", "Upload-Metadata is malformed.");
            }
            try {
                values.put(parts[0], parts.length == 2
                        ? new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("tus.invalid_metadata",
                        "Upload-Metadata value of '" + parts[0] + "' is not base64.");
            }
        }
        return values;
    }
}
