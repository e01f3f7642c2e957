package dev.clipflow.catalog.replace;

import dev.clipflow.catalog.replace.client.UploadClient;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.Replacements;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /api/videos/{id}/replace}: checks that the caller owns the video and that no replace is in flight, asks
 * upload-service for the session of the new file (a new media id), and records it as the video's pending replace; the
 * rest happens on the pipeline's events ({@link Replacements}).
 */
@ApplicationScoped
public class ReplaceService {

    /** What the client uploads: the normal upload session, plus the video it replaces the file of. */
    public record Started(UUID videoId, UploadClient.Session session) {
    }

    private final VideoAccess access;
    private final VideoRepository videos;
    private final Replacements replacements;
    private final UploadClient uploads;

    public ReplaceService(VideoAccess access, VideoRepository videos, Replacements replacements,
            UploadClient uploads) {
        this.access = access;
        this.videos = videos;
        this.replacements = replacements;
        this.uploads = uploads;
    }

    public Started start(UUID videoId, Caller caller, String fileName, long size, Long chunkSize, String contentType,
            String sha256, String protocol) {
        UUID owner = QuarkusTransaction.requiringNew().call(() -> {
            Video video = access.changeable(videoId, caller);
            if (!video.ownerId.equals(caller.id())) {
                // the upload is the owner's (their quota, their session): an admin cannot send its bytes
                throw ProblemException.forbidden("video.replace_owner_only", "Only the owner may replace the file.");
            }
            requireReplaceable(video);
            return video.ownerId;
        });
        UploadClient.Session session;
        try {
            session = uploads.open(owner, videoId, fileName, size, chunkSize, contentType, sha256, protocol);
        } catch (org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
            // timed out, or the circuit is open
            throw new ProblemException(503, "upload.unavailable", "Service Unavailable",
                    "Uploads cannot be opened right now; try again shortly.");
        }
        Boolean begun = QuarkusTransaction.requiringNew().call(() -> {
            Video video = videos.findById(videoId, LockModeType.PESSIMISTIC_WRITE);
            if (video == null) {
                replacements.cancel(owner, session.mediaId(), caller.id());
                return null;
            }
            return replacements.begin(video, session.mediaId(), caller.id());
        });
        if (begun == null) {
            throw VideoAccess.notFound(videoId);
        }
        if (!begun) {
            throw inFlight();
        }
        Log.infof("Video %s: replace started, new media %s (upload %s)", videoId, session.mediaId(),
                session.uploadId());
        return new Started(videoId, session);
    }

    private void requireReplaceable(Video video) {
        if (!replacements.canStart(video, Instant.now())) {
            throw inFlight();
        }
    }

    private static ProblemException inFlight() {
        return ProblemException.conflict("video.replace_in_flight",
                "The video is still processing or its file is being replaced; try again once it is READY or FAILED.");
    }
}
