package dev.clipflow.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event in structured JSON mode, as every Clipflow topic carries it.
 *
 * @param specversion always {@code 1.0}
 * @param id unique per event; consumers deduplicate on it
 * @param source the producing service, e.g. {@code /clipflow/upload-service}
 * @param type {@code clipflow.<topic>}
 * @param subject the entity the event is about (video id or user id), also the message key
 * @param time when the fact happened
 * @param datacontenttype always {@code application/json}
 * @param data the topic's payload, described by {@code /schemas/<topic>.json}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(String specversion, String id, String source, String type, String subject,
        Instant time, String datacontenttype, T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Kafka {@code content-type} header of a structured-mode CloudEvent, as every Clipflow producer sends it. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
    }

    /** A new event with a random id, stamped now. */
    public static <T> CloudEvent<T> of(String topic, String source, String subject, T data) {
        return new CloudEvent<>(SPEC_VERSION, UUID.randomUUID().toString(), source, Topics.eventType(topic),
                subject, Instant.now(), JSON, data);
    }
}
