package dev.clipflow.messaging;

import dev.clipflow.contracts.events.CloudEvent;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record to send: topic, key, the exact value bytes and headers.
 *
 * @param headers in order; values as bytes
 */
public record OutgoingRecord(String topic, String key, byte[] value, Map<String, byte[]> headers) {

    /** A structured-mode CloudEvent (its JSON as the value, the CloudEvents content-type header). */
    public static OutgoingRecord cloudEvent(String topic, String key, String json) {
        return cloudEvent(topic, key, json, null);
    }

    /**
     * A structured-mode CloudEvent that continues the trace {@code traceparent} (the W3C trace context
     * of whatever published it, {@link TraceContext}; null: none) in its {@code traceparent} header.
     */
    public static OutgoingRecord cloudEvent(String topic, String key, String json, String traceparent) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        if (traceparent != null && !traceparent.isBlank()) {
            headers.put(TraceContext.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        return new OutgoingRecord(topic, key, json.getBytes(StandardCharsets.UTF_8), headers);
    }
}
