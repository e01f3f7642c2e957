package dev.clipflow.quota.reservation.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /internal/quota/reservations}. upload-service uses the upload id as reservation id.
 *
 * @param expiresAt optional; default now + {@code clipflow.quota.reservation-ttl}
 */
public record ReservationRequest(
        @NotNull UUID reservationId,
        @NotNull UUID userId,
        @NotNull @PositiveOrZero Long bytes,
        @NotNull UUID videoId,
        @NotBlank @Size(max = 1024) String fileName,
        Instant expiresAt) {
}
