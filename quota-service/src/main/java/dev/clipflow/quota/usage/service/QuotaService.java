package dev.clipflow.quota.usage.service;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.reservation.service.ReservationService;
import dev.clipflow.quota.usage.QuotaMath;
import dev.clipflow.quota.usage.QuotaRepository;
import dev.clipflow.quota.usage.QuotaView;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.quota.usage.QuotaRepository.ALERTS_DIRTY;
import static dev.clipflow.quota.usage.QuotaRepository.ARMED;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_LIMIT;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_PERIOD;
import static dev.clipflow.quota.usage.QuotaRepository.BANDWIDTH_USED;
import static dev.clipflow.quota.usage.QuotaRepository.DELETION_BYTES;
import static dev.clipflow.quota.usage.QuotaRepository.DELETION_COUNT;
import static dev.clipflow.quota.usage.QuotaRepository.EVENTS;
import static dev.clipflow.quota.usage.QuotaRepository.FILES;
import static dev.clipflow.quota.usage.QuotaRepository.RESERVATIONS;
import static dev.clipflow.quota.usage.QuotaRepository.SEQ;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_LIMIT;
import static dev.clipflow.quota.usage.QuotaRepository.STORAGE_USED;
import static dev.clipflow.quota.usage.QuotaRepository.longOf;

/**
 * Reading quotas, admin limits, and the effects of other services' events: bandwidth usage per
 * monthly period, deleted videos and deleted users. Event effects are conditional updates that also
 * record the CloudEvent id on the user document, so a redelivered event changes nothing.
 */
@Singleton
public class QuotaService {

    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions()
            .returnDocument(ReturnDocument.AFTER).projection(QuotaRepository.STATE);
    private static final FindOneAndUpdateOptions AFTER_FULL = new FindOneAndUpdateOptions()
            .returnDocument(ReturnDocument.AFTER);
    private static final int ATTEMPTS = 10;

    private final QuotaRepository repository;
    private final ReservationService reservations;
    private final AlertEvaluator alerts;

    public QuotaService(QuotaRepository repository, ReservationService reservations, AlertEvaluator alerts) {
        this.repository = repository;
        this.reservations = reservations;
        this.alerts = alerts;
    }

    public QuotaView view(UUID userId) {
        return repository.view(userId, repository.find(userId));
    }

    public AdminQuotaView adminView(UUID userId) {
        return AdminQuotaView.of(userId, view(userId));
    }

    /** Sets a user's limits (creating the document with defaults first if needed). */
    public AdminQuotaView setLimits(UUID userId, long storageLimitBytes, long bandwidthLimitBytes) {
        repository.ensureExists(userId);
        Document after = repository.quotas().findOneAndUpdate(new Document("_id", userId.toString()),
                new Document("$set", new Document(STORAGE_LIMIT, storageLimitBytes)
                        .append(BANDWIDTH_LIMIT, bandwidthLimitBytes).append(ALERTS_DIRTY, true))
                        .append("$inc", new Document(SEQ, 1L)),
                AFTER_FULL);
        alerts.evaluate(after);
        Log.infof("Quota limits of %s set to storage %d, bandwidth %d bytes", userId, storageLimitBytes,
                bandwidthLimitBytes);
        return AdminQuotaView.of(userId, repository.view(userId, after));
    }

    /**
     * Adds served or uploaded bytes to the user's current monthly period, starting a new period
     * (usage from zero, bandwidth alerts re-armed) when the month changed. Returns false for a duplicate.
     */
    public boolean recordBandwidth(String eventId, UUID userId, long bytes) {
        Date period = Date.from(QuotaMath.periodStart(repository.now()));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document sameperiod = new Document("_id", userId.toString()).append(BANDWIDTH_PERIOD, period)
                    .append(EVENTS, new Document("$ne", eventId));
            Document after = repository.quotas().findOneAndUpdate(sameperiod, merge(
                    new Document("$inc", new Document(BANDWIDTH_USED, bytes).append(SEQ, 1L))
                            .append("$set", new Document(ALERTS_DIRTY, true)),
                    repository.rememberEvent(eventId)), AFTER);
            if (after == null) {
                Document rollover = new Document("_id", userId.toString())
                        .append(BANDWIDTH_PERIOD, new Document("$lt", period))
                        .append(EVENTS, new Document("$ne", eventId));
                after = repository.quotas().findOneAndUpdate(rollover, merge(
                        new Document("$set", new Document(BANDWIDTH_USED, bytes).append(BANDWIDTH_PERIOD, period)
                                .append(ARMED + ".bandwidth80", true).append(ARMED + ".bandwidth100", true)
                                .append(ALERTS_DIRTY, true))
                                .append("$inc", new Document(SEQ, 1L)),
                        repository.rememberEvent(eventId)), AFTER);
            }
            if (after != null) {
                alerts.evaluate(after);
                return true;
            }
            Document current = repository.find(userId);
            if (current == null) {
                if (repository.isDeleted(userId)) {
                    Log.debugf("Bandwidth of deleted user %s ignored", userId);
                    return false;
                }
                repository.ensureExists(userId);
                continue;
            }
            if (current.getList(EVENTS, String.class, List.of()).contains(eventId)) {
                return false;
            }
            Date docPeriod = current.get("bandwidth", Document.class).getDate("periodStart");
            if (docPeriod.after(period)) {
                period = docPeriod; // our clock is behind the period already started: count it there
            }
        }
        throw new IllegalStateException("Could not record bandwidth of " + userId + " after " + ATTEMPTS + " attempts");
    }

    /**
     * A video is gone: releases any reservation still held for it, removes its file entry, frees its
     * storage and counts the deletion. Returns false for a duplicate or an unknown user.
     */
    public boolean videoDeleted(String eventId, UUID ownerId, UUID videoId) {
        String video = videoId.toString();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document doc = repository.find(ownerId);
            if (doc == null || doc.getList(EVENTS, String.class, List.of()).contains(eventId)) {
                return false;
            }
            long released = 0;
            for (Document reservation : doc.getList(RESERVATIONS, Document.class, List.of())) {
                if (video.equals(reservation.getString("videoId"))
                        && reservations.release(ownerId.toString(), reservation)) {
                    released += longOf(reservation, "bytes");
                }
            }
            Document file = doc.getList(FILES, Document.class, List.of()).stream()
                    .filter(f -> video.equals(f.getString("videoId"))).findFirst().orElse(null);
            Document filter = new Document("_id", ownerId.toString()).append(EVENTS, new Document("$ne", eventId));
            long size = file == null ? 0 : longOf(file, "sizeBytes");
            Document update = new Document("$inc", new Document(STORAGE_USED, -size).append(DELETION_COUNT, 1L)
                    .append(DELETION_BYTES, size + released).append(SEQ, 1L))
                    .append("$set", new Document(ALERTS_DIRTY, true));
            if (file != null) {
                filter.append(FILES, new Document("$elemMatch", new Document("videoId", video)
                        .append("reservationId", file.get("reservationId")).append("sizeBytes", file.get("sizeBytes"))));
                update.append("$pull", new Document(FILES, new Document("videoId", video)));
            } else {
                filter.append(FILES + ".videoId", new Document("$ne", video));
            }
            Document after = repository.quotas().findOneAndUpdate(filter, merge(update, repository.rememberEvent(eventId)),
                    AFTER);
            if (after != null) {
                alerts.evaluate(after);
                return true;
            }
        }
        throw new IllegalStateException("Could not apply deletion of video " + videoId + " after " + ATTEMPTS
                + " attempts");
    }

    /**
     * {@code video.transcoded}: an edit's result (a reservation is held for the video) is charged with the size
     * of the original the job stored, the reservation's estimate let go; then the outputs beside the original
     * (MP4, renditions, thumbnail) are recorded on the video's entry. Idempotent (a commit happens once, the
     * outputs are set). An unknown or deleted user: nothing.
     */
    public void videoTranscoded(VideoTranscoded event) {
        Document held = repository.reservationOfVideo(event.ownerId(), event.videoId());
        if (held != null) {
            Document reservation = held.getList(RESERVATIONS, Document.class).get(0);
            long size = event.originalSizeBytes() != null ? event.originalSizeBytes() : longOf(reservation, "bytes");
            reservations.charge(UUID.fromString(reservation.getString("id")), size, event.ownerId());
        } else if (event.originalSizeBytes() != null) {
            Document after = repository.chargeProducedOriginal(event.ownerId(), event.videoId(),
                    event.originalSizeBytes());
            if (after != null) {
                alerts.evaluate(after);
            }
        }
        long thumbnail = event.thumbnailSizeBytes() == null ? 0 : event.thumbnailSizeBytes();
        long renditions = Math.max(0, event.totalBytes() - event.mp4SizeBytes() - thumbnail);
        if (!repository.recordOutputs(event.ownerId(), event.videoId(), event.mp4SizeBytes(), renditions, thumbnail)) {
            Log.debugf("video.transcoded of %s: no file entry (deleted video or user)", event.videoId());
        }
    }

    /** {@code video.failed}: a reservation still held for the video (an edit that failed) is given back. */
    public void videoFailed(UUID ownerId, UUID videoId) {
        if (ownerId == null) {
            return;
        }
        Document held = repository.reservationOfVideo(ownerId, videoId);
        if (held != null) {
            for (Document reservation : held.getList(RESERVATIONS, Document.class, List.of())) {
                reservations.release(ownerId.toString(), reservation);
            }
        }
    }

    /** The user is gone: their quota document goes, and later events for them are ignored. */
    public void userDeleted(UUID userId) {
        repository.deleteUser(userId);
    }

    /** Joins two update documents ({@code $inc}, {@code $set}, ... of both). */
    private static Document merge(Document a, Document b) {
        Document result = new Document(a);
        b.forEach((op, fields) -> {
            Document existing = result.get(op, Document.class);
            if (existing == null) {
                result.put(op, fields);
            } else {
                Document combined = new Document(existing);
                combined.putAll((Document) fields);
                result.put(op, combined);
            }
        });
        return result;
    }
}
