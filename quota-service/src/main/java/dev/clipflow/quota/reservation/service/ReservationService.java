package dev.clipflow.quota.reservation.service;

import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.quota.account.HeldReservation;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.account.QuotaState;
import dev.clipflow.quota.account.QuotaView;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.config.QuotaConfig;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage reservations for uploads: reserve, commit (reserved -> used, with the file entry), release.
 * Reserving is a single conditional update ({@link QuotaRepository#tryReserve}) whose filter holds the limit
 * check and the absence of the reservation id: concurrent uploads can never take a user past the limit, and a
 * repeated call cannot reserve twice.
 */
@Singleton
public class ReservationService {

    private static final int ATTEMPTS = 5;

    private final QuotaRepository repository;
    private final AlertEvaluator alerts;
    private final QuotaConfig config;

    public ReservationService(QuotaRepository repository, AlertEvaluator alerts, QuotaConfig config) {
        this.repository = repository;
        this.alerts = alerts;
        this.config = config;
    }

    public ReservationResult reserve(Reservation request) {
        Instant now = repository.now();
        Instant expiresAt = request.expiresAt() != null ? request.expiresAt() : now.plus(config.reservationTtl());
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(config.reservationMaxTtl()))) {
            throw ProblemException.badRequest("quota.invalid_expiry",
                    "expiresAt must be in the future and at most " + config.reservationMaxTtl() + " ahead.");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            QuotaState after = repository.tryReserve(request.userId(), request.reservationId(), request.bytes(),
                    request.videoId(), request.fileName(), expiresAt);
            if (after != null) {
                alerts.evaluate(after);
                dev.clipflow.quota.config.QuotaMeters.reservation("granted");
                return new ReservationResult(request.reservationId(), request.userId(), after.storage(), true);
            }
            // Why did it not match? Read only the figures and this reservation's entries.
            QuotaRepository.ReservationLookup current = repository.lookupReservation(request.userId(),
                    request.reservationId());
            if (current == null) {
                if (repository.isDeleted(request.userId())) {
                    throw new ProblemException(410, "quota.user_deleted", "Gone", "This user has been deleted.");
                }
                repository.ensureExists(request.userId());
                continue;
            }
            if (current.heldBytes() != null || current.committedBytes() != null) {
                if (current.heldBytes() != null && current.heldBytes() != request.bytes()) {
                    throw ProblemException.conflict("quota.reservation_conflict",
                            "Reservation " + request.reservationId() + " exists with a different size.");
                }
                return new ReservationResult(request.reservationId(), request.userId(), current.state().storage(),
                        false);
            }
            if (current.state().storageUsage() + request.bytes() > current.state().storageLimit()) {
                throw exceeded(current.state().storage(), request.bytes());
            }
            // It fits now (a release raced with the attempt): try again.
        }
        throw new ProblemException(503, "quota.busy", "Service Unavailable", "The quota is too busy; retry.");
    }

    /** Turns a reservation into used storage with its file entry; repeating it is harmless. */
    public ReservationResult commit(UUID reservationId, Long sizeBytes, UUID owner) {
        return commit(reservationId, sizeBytes, owner, false);
    }

    /**
     * Commits a reservation with the size of what was actually stored (an edit's result, known once it is
     * transcoded): the bytes exist, so they are charged even where they are more than the reservation and the
     * limit (the next reservation is refused instead).
     */
    public ReservationResult charge(UUID reservationId, long sizeBytes, UUID owner) {
        return commit(reservationId, sizeBytes, owner, true);
    }

    private ReservationResult commit(UUID reservationId, Long sizeBytes, UUID owner, boolean force) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<HeldReservation> held = repository.heldReservation(reservationId, owner);
            if (held.isEmpty()) {
                UUID user = repository.committedTo(reservationId, owner).orElseThrow(() -> new ProblemException(404,
                        "quota.reservation_not_found", "Not Found",
                        "Reservation " + reservationId + " does not exist (expired or released)."));
                QuotaState state = repository.state(user);
                return new ReservationResult(reservationId, user, state == null ? null : state.storage(), false);
            }
            HeldReservation reservation = held.get();
            long size = sizeBytes != null ? sizeBytes : reservation.bytes();
            QuotaState after = repository.commit(reservation, size, !force);
            if (after != null) {
                alerts.evaluate(after);
                return new ReservationResult(reservationId, after.userId(), after.storage(), true);
            }
            if (size > reservation.bytes() && !force) {
                QuotaState state = repository.stateWhileHeld(reservation);
                if (state != null) {
                    throw exceeded(state.storage(), size - reservation.bytes());
                }
            }
        }
        throw new ProblemException(503, "quota.busy", "Service Unavailable", "The quota is too busy; retry.");
    }

    /** Gives the reserved bytes back; unknown ids (already released, committed or expired) are fine. */
    public void release(UUID reservationId, UUID owner) {
        repository.heldReservation(reservationId, owner).ifPresent(this::release);
    }

    /** Releases a held reservation, if it is still held. Returns whether it was. */
    public boolean release(HeldReservation reservation) {
        QuotaState after = repository.release(reservation);
        if (after != null) {
            alerts.evaluate(after);
        }
        return after != null;
    }

    private static ProblemException exceeded(QuotaView.Storage storage, long requested) {
        dev.clipflow.quota.config.QuotaMeters.reservation("refused");
        long available = Math.max(0, storage.limitBytes() - storage.usedBytes() - storage.reservedBytes());
        return new ProblemException(Problem.of(403, "quota.storage_exceeded", "Forbidden",
                "The upload needs " + requested + " bytes but only " + available + " bytes of storage are left.")
                .with("storage", storage)
                .with("requestedBytes", requested)
                .with("availableBytes", available));
    }
}
