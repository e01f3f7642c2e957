package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The visibility rules. Reading: the owner, an admin, or anyone for a PLATFORM video. Changing:
 * the owner or an admin; others get 403 on a PLATFORM video (they can see it) and 404 on a PRIVATE
 * one (they must not learn it exists).
 */
@ApplicationScoped
public class VideoAccess {

    private final VideoRepository videos;

    public VideoAccess(VideoRepository videos) {
        this.videos = videos;
    }

    public static boolean canRead(Video video, Caller caller) {
        return caller.admin() || video.ownerId.equals(caller.id()) || video.visibility == Visibility.PLATFORM;
    }

    public static boolean canChange(Video video, Caller caller) {
        return caller.admin() || video.ownerId.equals(caller.id());
    }

    public Video readable(UUID id, Caller caller) {
        Video video = videos.findById(id);
        if (video == null || !canRead(video, caller)) {
            throw notFound(id);
        }
        return video;
    }

    public Video changeable(UUID id, Caller caller) {
        Video video = readable(id, caller);
        if (!canChange(video, caller)) {
            throw ProblemException.forbidden("video.not_owner", "Only the owner or an admin may change this video.");
        }
        return video;
    }

    public static ProblemException notFound(UUID id) {
        return ProblemException.notFound("Video " + id);
    }

    /** Parses an id from a path or query; a malformed one cannot name any video. */
    public static UUID parseId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("Video " + raw);
        }
    }
}
