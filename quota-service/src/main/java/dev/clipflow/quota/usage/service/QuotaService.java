package dev.clipflow.quota.usage.service;

import dev.clipflow.contracts.events.VideoReplaced;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.messaging.InvalidEventException;
import dev.clipflow.quota.account.HeldReservation;
import dev.clipflow.quota.account.QuotaMath;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.account.QuotaState;
import dev.clipflow.quota.account.QuotaView;
import dev.clipflow.quota.alert.service.AlertEvaluator;
import dev.clipflow.quota.reservation.service.ReservationService;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading quotas, admin limits, and the effects of other services' events: bandwidth usage per
 * monthly period, deleted videos and deleted users. Event effects are conditional updates that also
 * record the CloudEvent id on the user document (its last ids), so a redelivered event changes nothing;
 * once applied the id is also kept in {@code processed_events} for the topics' retention, so a replay
 * from an old offset changes nothing either.
 */
@Singleton
public class QuotaService {

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
        return repository.view(userId);
    }

    public AdminQuotaView adminView(UUID userId) {
        return AdminQuotaView.of(userId, view(userId));
    }

    /** Sets a user's limits (creating the document with defaults first if needed). */
    public AdminQuotaView setLimits(UUID userId, long storageLimitBytes, long bandwidthLimitBytes) {
        repository.ensureExists(userId);
        alerts.evaluate(repository.setLimits(userId, storageLimitBytes, bandwidthLimitBytes));
        Log.infof("Quota limits of %s set to storage %d, bandwidth %d bytes", userId, storageLimitBytes,
                bandwidthLimitBytes);
        return adminView(userId);
    }

    /**
     * Adds served or uploaded bytes to the user's current monthly period, starting a new period
     * (usage from zero, bandwidth alerts re-armed) when the month changed. Returns false for a duplicate.
     */
    public boolean recordBandwidth(String eventId, UUID userId, long bytes) {
        if (repository.processed(userId, eventId)) {
            return false;
        }
        Instant period = QuotaMath.periodStart(repository.now());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            QuotaState after = repository.addBandwidth(eventId, userId, period, bytes);
            if (after == null) {
                after = repository.startBandwidthPeriod(eventId, userId, period, bytes);
            }
            if (after != null) {
                repository.markProcessed(userId, eventId);
                alerts.evaluate(after);
                return true;
            }
            Optional<Instant> stored = repository.bandwidthPeriod(userId);
            if (stored.isEmpty()) {
                if (repository.isDeleted(userId)) {
                    Log.debugf("Bandwidth of deleted user %s ignored", userId);
                    return false;
                }
                repository.ensureExists(userId);
                continue;
            }
            if (repository.processed(userId, eventId)) {
                return false;
            }
            if (stored.get().isAfter(period)) {
                period = stored.get(); // our clock is behind the period already started: count it there
            }
        }
        throw new IllegalStateException("Could not record bandwidth of " + userId + " after " + ATTEMPTS + " attempts");
    }

    /**
     * A video is gone: releases any reservation still held for it, removes its file entry, frees its
     * storage and counts the deletion. Returns false for a duplicate or an unknown user.
     */
    public boolean videoDeleted(String eventId, UUID ownerId, UUID videoId) {
        return videoDeleted(eventId, ownerId, videoId, null);
    }

    /**
     * As {@link #videoDeleted(String, UUID, UUID)}; with {@code chargeTo} (a live video still playing the deleted
     * one's media, dedup by content) the deleted video's charge moves onto that video's entry first, so content two
     * videos share stays charged once whichever is deleted.
     */
    public boolean videoDeleted(String eventId, UUID ownerId, UUID videoId, UUID chargeTo) {
        if (chargeTo != null && !chargeTo.equals(videoId) && !repository.processed(ownerId, eventId)) {
            QuotaRepository.VideoEntries entries = repository.videoEntries(ownerId, videoId);
            String step = eventId + "/chargeTo";
            if (entries != null && entries.file() != null && entries.file().sizeBytes() > 0
                    && !repository.processed(ownerId, step)
                    && repository.chargeHeir(step, ownerId, chargeTo, entries.file().sizeBytes())) {
                Log.infof("Video %s deleted: its charge of %d bytes moves to video %s, which shares its content",
                        videoId, entries.file().sizeBytes(), chargeTo);
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            QuotaRepository.VideoEntries entries = repository.videoEntries(ownerId, videoId);
            if (entries == null || repository.processed(ownerId, eventId)) {
                return false;
            }
            long released = 0;
            for (HeldReservation reservation : entries.reservations()) {
                if (reservations.release(reservation)) {
                    released += reservation.bytes();
                }
            }
            QuotaState after = repository.removeVideo(eventId, ownerId, videoId, entries.file(), released);
            if (after != null) {
                repository.markProcessed(ownerId, eventId);
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
        Optional<HeldReservation> held = repository.reservationOfVideo(event.ownerId(), event.videoId());
        if (held.isPresent()) {
            long size = event.originalSizeBytes() != null ? event.originalSizeBytes() : held.get().bytes();
            reservations.charge(held.get().id(), size, event.ownerId());
        } else if (event.originalSizeBytes() != null) {
            QuotaState after = repository.chargeProducedOriginal(event.ownerId(), event.videoId(),
                    event.originalSizeBytes());
            if (after != null) {
                alerts.evaluate(after);
            }
        }
        long thumbnail = event.thumbnailSizeBytes() == null ? 0 : event.thumbnailSizeBytes();
        long renditions = Math.max(0, event.totalBytes() - event.mp4SizeBytes() - thumbnail);
        if (!repository.recordOutputs(event.ownerId(), event.videoId(), event.mp4SizeBytes(), renditions, thumbnail)) {
            Log.debugf("video.transcoded of %s: no file entry (deleted video or user)", event.videoId());
            return;
        }
        repository.applyEarlyStored(event.ownerId(), event.videoId());
    }

    /**
     * {@code video.stored}: blobs of one kind of the video were written again (the owner's thumbnail, a THUMBNAIL
     * job; captions; the original deleted after its transcode; the storyboard and the audio-only download of a
     * transcode); their size replaces the recorded one unless a later write is recorded already. A video without a
     * file entry yet (an edit's result before its {@code video.transcoded}): the size is kept and recorded when the
     * entry is made.
     */
    public void videoStored(VideoStored event) {
        if (!List.of(VideoStored.THUMBNAIL, VideoStored.CAPTIONS, VideoStored.ORIGINAL,
                VideoStored.STORYBOARD, VideoStored.AUDIO).contains(event.kind())) {
            // the schema admits only the kinds quota counts; a newer producer's kind is a dead letter, not a retry
            throw new InvalidEventException("No storage breakdown for kind " + event.kind());
        }
        if (repository.recordStored(event.ownerId(), event.videoId(), event.kind(), event.bytes(), event.storedAt())) {
            return;
        }
        // no entry yet (an edit's result, whose entry comes with video.transcoded on another topic): keep the size
        // for it; when the entry was made meanwhile, record it there
        if (!repository.keepEarlyStored(event.ownerId(), event.videoId(), event.kind(), event.bytes(), event.storedAt())
                && !repository.recordStored(event.ownerId(), event.videoId(), event.kind(), event.bytes(),
                        event.storedAt())) {
            Log.debugf("video.stored of %s: a newer %s recorded, or no such user", event.videoId(), event.kind());
        }
    }

    /**
     * {@code video.replaced}: the video plays its new file now, so its charge moves from the old original to the new
     * one. The new upload was committed under its media id ({@code newRoot}) at completion; that entry's size (the
     * charge) becomes the video's entry and the media id's entry goes, so {@code used} ends with the new size instead
     * of old plus new. A reservation still held for the media id (its commit at completion did not get through) is
     * committed first. Idempotent by event id; returns false for a duplicate, an unknown user or a video without entry.
     */
    public boolean videoReplaced(String eventId, VideoReplaced event) {
        UUID owner = event.ownerId();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (repository.processed(owner, eventId)) {
                repository.forgetMedia(owner, event.newRoot()); // a crash after the first step
                return false;
            }
            QuotaRepository.VideoEntries media = repository.videoEntries(owner, event.newRoot());
            if (media == null) {
                return false; // unknown or deleted user
            }
            if (media.file() == null && !media.reservations().isEmpty()) {
                reservations.commit(media.reservations().get(0).id(), null, owner);
                continue;
            }
            QuotaRepository.VideoEntries video = repository.videoEntries(owner, event.videoId());
            if (video.file() == null) {
                Log.warnf("video.replaced of %s: the video has no file entry; the new file stays charged under %s",
                        event.videoId(), event.newRoot());
                return false;
            }
            long oldBytes = video.file().sizeBytes();
            long newBytes = media.file() != null ? media.file().sizeBytes() : event.newBytes();
            long delta = media.file() != null ? -oldBytes : newBytes - oldBytes;
            Long storyboard = repository.storyboardBytes(owner, event.newRoot()).orElse(null);
            QuotaState after = repository.replaceFile(eventId, owner, event.videoId(), newBytes, delta,
                    event.mp4Bytes(), event.renditionsBytes(), event.thumbnailBytes(), storyboard);
            if (after != null) {
                repository.forgetMedia(owner, event.newRoot());
                repository.markProcessed(owner, eventId);
                alerts.evaluate(after);
                Log.infof("Video %s replaced: charged %d bytes instead of %d", event.videoId(), newBytes, oldBytes);
                return true;
            }
        }
        throw new IllegalStateException("Could not apply the replace of video " + event.videoId() + " after "
                + ATTEMPTS + " attempts");
    }

    /** {@code video.failed}: a reservation still held for the video (an edit that failed) is given back. */
    public void videoFailed(UUID ownerId, UUID videoId) {
        if (ownerId == null) {
            return;
        }
        repository.reservationOfVideo(ownerId, videoId).ifPresent(reservations::release);
    }

    /** The user is gone: their quota document goes, and later events for them are ignored. */
    public void userDeleted(UUID userId) {
        repository.deleteUser(userId);
    }
}
