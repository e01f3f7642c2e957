package dev.clipflow.notify.webhook.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clipflow.notify.webhook.Endpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint as the API shows it. {@code secret} is present only in the answers to creation and
 * rotation: it is shown once. {@code allUsers}: a platform endpoint (no {@code ownerId}) receiving every user's
 * events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(UUID id, UUID ownerId, boolean allUsers, String url, List<String> eventTypes, String description,
        boolean enabled, String disabledReason, Instant failingSince, Instant createdAt, Instant updatedAt,
        Instant previousSecretExpiresAt, String secret) {

    static EndpointView of(Endpoint e, String secret) {
        Instant graceEnd = e.previousSecret != null && e.previousSecretExpiresAt != null
                && e.previousSecretExpiresAt.isAfter(Instant.now()) ? e.previousSecretExpiresAt : null;
        return new EndpointView(e.id, e.ownerId, e.allUsers(), e.url, e.eventTypeList(), e.description, e.enabled,
                e.disabledReason, e.failingSince, e.createdAt, e.updatedAt, graceEnd, secret);
    }
}
