package dev.clipflow.quota.account;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's quota as {@code GET /api/quota/me} shows it.
 *
 * @param storage committed ({@code usedBytes}) and reserved bytes against the storage limit
 * @param bandwidth bytes served and uploaded in the current monthly period
 * @param deletions videos deleted and the storage they freed
 * @param files per video: the original charged to the user and what transcoding stored beside it
 */
public record QuotaView(Storage storage, Bandwidth bandwidth, Deletions deletions, List<File> files) {

    /**
     * @param usedBytes the originals (uploads and edit results): what the limit counts
     * @param percentUsed (used + reserved) in percent of the limit
     * @param alert true from 80 % on
     * @param storedBytes every byte the user's videos occupy in the blob store: originals, MP4s, HLS renditions
     *        thumbnails, captions and storyboards (the sum of the files' {@code storedBytes}); absent where only the figures are
     *        answered (reservations)
     */
    public record Storage(long limitBytes, long usedBytes, long reservedBytes, double percentUsed, boolean alert,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long storedBytes) {

        public Storage(long limitBytes, long usedBytes, long reservedBytes, double percentUsed, boolean alert) {
            this(limitBytes, usedBytes, reservedBytes, percentUsed, alert, null);
        }

        public Storage withStored(long stored) {
            return new Storage(limitBytes, usedBytes, reservedBytes, percentUsed, alert, stored);
        }
    }

    /**
     * @param periodStart start of the current monthly period (UTC, inclusive)
     * @param periodEnd end of the period (exclusive)
     * @param alert true from 80 % on
     */
    public record Bandwidth(long limitBytes, long usedBytes, Instant periodStart, Instant periodEnd,
            double percentUsed, boolean alert) {
    }

    public record Deletions(long count, long bytes) {
    }

    /**
     * One video's bytes in the blob store.
     *
     * @param sizeBytes its original as uploaded (charged against the limit)
     * @param originalBytes the original still in the store: {@code sizeBytes}, or 0 once it was deleted after
     *        its transcode (catalog's {@code keep-originals=false})
     * @param mp4Bytes the progressive MP4 transcoding made
     * @param renditionsBytes the HLS tree (playlists and segments of every rendition)
     * @param thumbnailBytes the thumbnail
     * @param captionsBytes the caption files (WebVTT, every language)
     * @param storyboardBytes the storyboard (seek-bar previews: sprite sheet and WebVTT)
     * @param audioBytes the audio-only download ({@code audio.m4a}; 0 for a video without audio)
     * @param storedBytes all of them together (the original counted as {@code originalBytes})
     */
    public record File(UUID videoId, String fileName, long sizeBytes, long originalBytes, long mp4Bytes,
            long renditionsBytes, long thumbnailBytes, long captionsBytes, long storyboardBytes, long audioBytes,
            long storedBytes) {

        public static File of(UUID videoId, String fileName, long sizeBytes, long originalBytes, long mp4Bytes,
                long renditionsBytes, long thumbnailBytes, long captionsBytes, long storyboardBytes,
                long audioBytes) {
            return new File(videoId, fileName, sizeBytes, originalBytes, mp4Bytes, renditionsBytes, thumbnailBytes,
                    captionsBytes, storyboardBytes, audioBytes, originalBytes + mp4Bytes + renditionsBytes
                            + thumbnailBytes + captionsBytes + storyboardBytes + audioBytes);
        }
    }
}
