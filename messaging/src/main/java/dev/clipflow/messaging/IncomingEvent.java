package dev.clipflow.messaging;

import java.time.Instant;

/**
 * A schema-valid CloudEvent received from a topic, its data mapped to the topic's record.
 *
 * @param topic where it was read
 * @param id the CloudEvent id (what consumers deduplicate on)
 * @param source the producing service
 * @param subject the entity it is about (video or user id)
 * @param time when the fact happened
 * @param data the typed payload
 */
public record IncomingEvent<T>(String topic, String id, String source, String subject, Instant time, T data) {
}
