package dev.clipflow.quota.reservation.rest;

import jakarta.validation.constraints.PositiveOrZero;

/** {@code POST /internal/quota/reservations/{id}/commit}: the final size, default the reserved bytes. */
public record CommitRequest(@PositiveOrZero Long sizeBytes) {
}
