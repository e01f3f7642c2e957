package dev.clipflow.quota.reservation.service;

import dev.clipflow.quota.account.QuotaView;

import java.util.UUID;

/**
 * The outcome of a reservation or commit.
 *
 * @param created false when the call repeated an earlier one (idempotent replay)
 */
public record ReservationResult(UUID reservationId, UUID userId, QuotaView.Storage storage, boolean created) {
}
