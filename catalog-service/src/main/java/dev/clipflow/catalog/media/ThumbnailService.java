package dev.clipflow.catalog.media;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Replacing a video's thumbnail with the owner's own JPEG or PNG; {@code video.stored} (through the outbox,
 * with the row change) tells quota-service the thumbnail's new size.
 */
@ApplicationScoped
public class ThumbnailService {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final VideoAccess access;
    private final BlobStore store;
    private final CatalogConfig config;
    private final Outbox outbox;

    public ThumbnailService(VideoAccess access, BlobStore store, CatalogConfig config, Outbox outbox) {
        this.access = access;
        this.store = store;
        this.config = config;
        this.outbox = outbox;
    }

    @Transactional
    public Video replace(UUID videoId, Caller caller, String contentType, byte[] image) {
        Video video = access.changeable(videoId, caller);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (image == null || image.length == 0) {
            throw ProblemException.badRequest("video.invalid_thumbnail", "The thumbnail is empty.");
        }
        if (image.length > config.maxThumbnailBytes()) {
            throw new ProblemException(Problem.of(413, "video.thumbnail_too_large", "Payload Too Large",
                    "A thumbnail may have at most " + config.maxThumbnailBytes() + " bytes."));
        }
        boolean valid = switch (type) {
            case "image/jpeg" -> startsWith(image, JPEG);
            case "image/png" -> startsWith(image, PNG);
            default -> throw new ProblemException(Problem.of(415, "video.unsupported_thumbnail",
                    "Unsupported Media Type", "A thumbnail must be image/jpeg or image/png."));
        };
        if (!valid) {
            throw ProblemException.badRequest("video.invalid_thumbnail",
                    "The content is not a " + (type.endsWith("png") ? "PNG" : "JPEG") + " image.");
        }
        String key = BlobKeys.thumbnail(video.id);
        store.put(key, new ByteArrayInputStream(image), image.length, type);
        video.thumbnailKey = key;
        video.thumbnailContentType = type;
        video.updatedAt = Instant.now();
        outbox.publish(Topics.VIDEO_STORED, video.id,
                new VideoStored(video.id, video.ownerId, VideoStored.THUMBNAIL, image.length, video.updatedAt));
        return video;
    }

    private static boolean startsWith(byte[] data, byte[] magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
