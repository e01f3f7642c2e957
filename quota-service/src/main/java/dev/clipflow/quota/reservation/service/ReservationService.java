package dev.clipflow.quota.reservation.service;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.config.QuotaConfig;
import dev.clipflow.quota.usage.QuotaRepository;
import dev.clipflow.quota.usage.QuotaView;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.quota.usage.QuotaRepository.ALERTS_DIRTY;
import static dev.clipflow.quota.usage.QuotaRepository.FILES;
import static dev.clipflow.quota.usage.QuotaRepository.RESERVATIONS;
import static dev.clipflow.quota.usage.QuotaRepository.SEQ;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_LIMIT;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_RESERVED;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_USED;
import static dev.clipflow.quota.usage.QuotaRepository.longOf;

/**
 * Storage reservations for uploads: reserve, commit (reserved -> used, with the file entry), release.
 * Reserving is a single {@code findOneAndUpdate} whose filter holds the limit check
 * ({@code $expr: used + reserved + bytes <= limit}) and the absence of the reservation id, and whose
 * update {@code $inc}s the reserved bytes and {@code $push}es the reservation: concurrent uploads can
 * never take a user past the limit, and a repeated call cannot reserve twice.
 */
@Singleton
public class ReservationService {

    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions()
            .returnDocument(ReturnDocument.AFTER).projection(QuotaRepository.STATE);
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
        String userId = request.userId().toString();
        String id = request.reservationId().toString();
        Document entry = new Document("id", id)
                .append("bytes", request.bytes())
                .append("videoId", request.videoId().toString())
                .append("fileName", request.fileName())
                .append("expiresAt", Date.from(expiresAt))
                .append("createdAt", Date.from(now));
        Document filter = new Document("_id", userId)
                .append(RESERVATIONS + ".id", new Document("$ne", id))
                .append(FILES + ".reservationId", new Document("$ne", id))
                .append("$expr", new Document("$lte", List.of(
                        new Document("$add", List.of("$" + STORAGE_USED, "$" + STORAGE_RESERVED, request.bytes())),
                        "$" + STORAGE_LIMIT)));
        Document update = new Document("$inc", new Document(STORAGE_RESERVED, request.bytes()).append(SEQ, 1L))
                .append("$set", new Document(ALERTS_DIRTY, true))
                .append("$push", new Document(RESERVATIONS, entry));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document after = repository.quotas().findOneAndUpdate(filter, update, AFTER);
            if (after != null) {
                alerts.evaluate(after);
                dev.clipflow.quota.config.QuotaMeters.reservation("granted");
                return new ReservationResult(request.reservationId(), request.userId(), storage(after), true);
            }
            // Why did it not match? Read only the figures and this reservation's entries.
            Document current = repository.quotas().find(new Document("_id", userId))
                    .projection(Projections.fields(QuotaRepository.STATE,
                            Projections.elemMatch(RESERVATIONS, new Document("id", id)),
                            Projections.elemMatch(FILES, new Document("reservationId", id))))
                    .first();
            if (current == null) {
                if (repository.isDeleted(request.userId())) {
                    throw new ProblemException(410, "quota.user_deleted", "Gone", "This user has been deleted.");
                }
                repository.ensureExists(request.userId());
                continue;
            }
            Document existing = findEntry(current, RESERVATIONS, "id", id);
            Document committed = findEntry(current, FILES, "reservationId", id);
            if (existing != null || committed != null) {
                long bytes = existing != null ? longOf(existing, "bytes") : longOf(committed, "sizeBytes");
                if (existing != null && bytes != request.bytes()) {
                    throw ProblemException.conflict("quota.reservation_conflict",
                            "Reservation " + id + " exists with a different size.");
                }
                return new ReservationResult(request.reservationId(), request.userId(), storage(current), false);
            }
            Document storage = current.get("storage", Document.class);
            if (longOf(storage, "used") + longOf(storage, "reserved") + request.bytes() > longOf(storage, "limit")) {
                throw exceeded(storage(current), request.bytes());
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
        String id = reservationId.toString();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document holder = holderOf(RESERVATIONS, "id", id, owner);
            if (holder == null) {
                Document done = holderOf(FILES, "reservationId", id, owner);
                if (done == null) {
                    throw new ProblemException(404, "quota.reservation_not_found", "Not Found",
                            "Reservation " + id + " does not exist (expired or released).");
                }
                Document doc = repository.quotas().find(new Document("_id", done.get("_id")))
                        .projection(QuotaRepository.STATE).first();
                return new ReservationResult(reservationId, UUID.fromString(done.getString("_id")),
                        doc == null ? null : storage(doc), false);
            }
            Document reservation = holder.getList(RESERVATIONS, Document.class).get(0);
            long reserved = longOf(reservation, "bytes");
            long size = sizeBytes != null ? sizeBytes : reserved;
            Document filter = new Document("_id", holder.get("_id")).append(RESERVATIONS + ".id", id);
            if (size > reserved && !force) {
                filter.append("$expr", new Document("$lte", List.of(
                        new Document("$add", List.of("$" + STORAGE_USED, "$" + STORAGE_RESERVED, size - reserved)),
                        "$" + STORAGE_LIMIT)));
            }
            Document file = new Document("videoId", reservation.getString("videoId"))
                    .append("fileName", reservation.getString("fileName"))
                    .append("sizeBytes", size)
                    .append("reservationId", id)
                    .append("addedAt", Date.from(repository.now()));
            Document update = new Document("$inc", new Document(STORAGE_RESERVED, -reserved)
                    .append(STORAGE_USED, size).append(SEQ, 1L))
                    .append("$set", new Document(ALERTS_DIRTY, true))
                    .append("$pull", new Document(RESERVATIONS, new Document("id", id)))
                    .append("$push", new Document(FILES, file));
            Document after = repository.quotas().findOneAndUpdate(filter, update, AFTER);
            if (after != null) {
                alerts.evaluate(after);
                return new ReservationResult(reservationId, UUID.fromString(after.getString("_id")), storage(after),
                        true);
            }
            if (size > reserved && !force) {
                Document doc = repository.quotas()
                        .find(new Document("_id", holder.get("_id")).append(RESERVATIONS + ".id", id)).first();
                if (doc != null) {
                    throw exceeded(storage(doc), size - reserved);
                }
            }
        }
        throw new ProblemException(503, "quota.busy", "Service Unavailable", "The quota is too busy; retry.");
    }

    /** Gives the reserved bytes back; unknown ids (already released, committed or expired) are fine. */
    public void release(UUID reservationId, UUID owner) {
        Document holder = holderOf(RESERVATIONS, "id", reservationId.toString(), owner);
        if (holder != null) {
            release(holder.getString("_id"), holder.getList(RESERVATIONS, Document.class).get(0));
        }
    }

    /** Releases one reservation entry of a user document, if it is still there. Returns whether it was. */
    public boolean release(String userId, Document reservation) {
        String id = reservation.getString("id");
        Document after = repository.quotas().findOneAndUpdate(
                new Document("_id", userId).append(RESERVATIONS + ".id", id),
                new Document("$inc", new Document(STORAGE_RESERVED, -longOf(reservation, "bytes")).append(SEQ, 1L))
                        .append("$set", new Document(ALERTS_DIRTY, true))
                        .append("$pull", new Document(RESERVATIONS, new Document("id", id))),
                AFTER);
        if (after != null) {
            alerts.evaluate(after);
        }
        return after != null;
    }

    /** The document holding an array entry, projected to that entry alone. */
    private Document holderOf(String array, String field, String value, UUID owner) {
        Document filter = owner != null ? new Document("_id", owner.toString()) : new Document();
        filter.append(array + "." + field, value);
        return repository.quotas().find(filter)
                .projection(Projections.elemMatch(array, new Document(field, value)))
                .first();
    }

    private static Document findEntry(Document doc, String array, String field, String value) {
        return doc.getList(array, Document.class, List.of()).stream()
                .filter(e -> value.equals(e.getString(field)))
                .findFirst().orElse(null);
    }

    private static QuotaView.Storage storage(Document doc) {
        return QuotaRepository.storageView(doc);
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
