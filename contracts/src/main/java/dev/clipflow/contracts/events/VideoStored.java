package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code video.stored}: one blob of a video was written again outside a transcode, so its size changed
 * (today the thumbnail: the owner's own image, or a THUMBNAIL job's new frame). quota-service sets that
 * kind's bytes on the video's storage breakdown. The figure is absolute and carries the time it was
 * written: the latest {@code storedAt} wins, so a redelivered, replayed or reordered event is harmless.
 * A later feature that stores another blob per video adds its kind to the schema's enum and to quota's
 * breakdown.
 *
 * @param kind which blob ({@link #THUMBNAIL})
 * @param bytes its size now
 * @param storedAt when it was written (the version: older ones are ignored)
 */
public record VideoStored(UUID videoId, UUID ownerId, String kind, long bytes, Instant storedAt) {

    /** {@code videos/{id}/thumbnail.jpg}. */
    public static final String THUMBNAIL = "thumbnail";
}
