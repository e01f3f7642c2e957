package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code webhook.disabled}: notify-service disabled a user's webhook endpoint after its deliveries failed
 * for too long; auth-service e-mails the owner.
 *
 * @param reason a sentence for the owner (the last failure)
 * @param failingSince when the first of the failed deliveries in a row was attempted
 */
public record WebhookDisabled(UUID userId, UUID endpointId, String url, String reason, Instant failingSince) {
}
