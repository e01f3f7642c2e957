package dev.clipflow.quota.reservation.rest;

import dev.clipflow.quota.account.QuotaView;

import java.util.UUID;

/** A reservation's id and the user's storage figures after it. */
public record ReservationResponse(UUID reservationId, QuotaView.Storage storage) {
}
