package dev.clipflow.contracts.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code video.stored}: one kind of blob of a video was written again outside a transcode, so its size
 * changed: the thumbnail (the owner's own image, or a THUMBNAIL job's new frame), the captions (all languages
 * together, after one was put or deleted), the original (0 once catalog deleted it after the transcode
 * because the operator keeps no originals), the storyboard (sprite and WebVTT together, stored by the transcode
 * that made them, beside its {@code video.transcoded}), the audio-only download (likewise, 0 when the source has
 * no audio). quota-service sets that kind's bytes on the video's storage
 * breakdown. The figure is absolute and carries the time it was
 * written: the latest {@code storedAt} wins, so a redelivered, replayed or reordered event is harmless.
 * A later feature that stores another blob per video adds its kind to the schema's enum and to quota's
 * breakdown.
 *
 * @param kind which blob ({@link #THUMBNAIL}, {@link #CAPTIONS}, {@link #ORIGINAL}, {@link #STORYBOARD},
 *     {@link #AUDIO})
 * @param bytes its size now
 * @param storedAt when it was written (the version: older ones are ignored)
 */
public record VideoStored(UUID videoId, UUID ownerId, String kind, long bytes, Instant storedAt) {

    /** {@code videos/{id}/thumbnail.jpg}. */
    public static final String THUMBNAIL = "thumbnail";

    /** {@code videos/{id}/captions/*.vtt}: every caption file of the video together. */
    public static final String CAPTIONS = "captions";

    /** {@code originals/{id}/source}: the uploaded file (0 once deleted). */
    public static final String ORIGINAL = "original";

    /** {@code videos/{id}/storyboard.jpg} and {@code storyboard.vtt} together. */
    public static final String STORYBOARD = "storyboard";

    /**
     * {@code videos/{id}/audio.m4a}: the audio-only download a transcode stored beside its outputs (0 when the
     * source has no audio), published with {@code video.transcoded}.
     */
    public static final String AUDIO = "audio";
}
