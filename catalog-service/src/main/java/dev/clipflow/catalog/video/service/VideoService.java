package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.category.CategoryService;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.VideoStatus;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import dev.clipflow.catalog.video.live.LiveUpdates;
import dev.clipflow.catalog.video.live.VideoUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Reading, editing and deleting videos on behalf of users and admins. */
@ApplicationScoped
public class VideoService {


    /** The editable fields; null leaves a field unchanged, an empty description or category clears it. */
    public record Changes(String title, String description, String category, Visibility visibility) {
    }

    private final VideoRepository videos;
    private final VideoAccess access;
    private final CategoryService categories;
    private final Outbox outbox;
    private final SharedMedia shared;
    private final LiveUpdates live;
    private final Replacements replacements;

    public VideoService(VideoRepository videos, VideoAccess access, CategoryService categories, Outbox outbox,
            SharedMedia shared, LiveUpdates live, Replacements replacements) {
        this.replacements = replacements;
        this.videos = videos;
        this.access = access;
        this.categories = categories;
        this.outbox = outbox;
        this.shared = shared;
        this.live = live;
    }

    @Transactional
    public Page<Video> list(Caller caller, String scope, String q, String category, String status,
            Page.PageRequest page) {
        boolean all = switch (scope == null ? "mine" : scope.toLowerCase(Locale.ROOT)) {
            case "mine" -> false;
            case "all" -> true;
            default -> throw ProblemException.badRequest("request.invalid_value", "scope must be mine or all.");
        };
        return videos.search(new VideoRepository.Criteria(caller.id(), all, null, q, blankToNull(category),
                parseStatus(status)), page);
    }

    @Transactional
    public Page<Video> adminList(String q, UUID ownerId, String category, String status, Page.PageRequest page) {
        return videos.search(new VideoRepository.Criteria(null, false, ownerId, q, blankToNull(category),
                parseStatus(status)), page);
    }

    @Transactional
    public Video get(UUID id, Caller caller) {
        return access.readable(id, caller);
    }

    @Transactional
    public Video change(UUID id, Caller caller, Changes changes) {
        Video video = access.changeable(id, caller);
        String category = changes.category() == null ? video.category
                : changes.category().isBlank() ? null : categories.canonical(changes.category());
        if (changes.title() != null) {
            if (changes.title().isBlank()) {
                throw ProblemException.badRequest("video.invalid_title", "title must not be blank.");
            }
            video.title = changes.title().strip();
        }
        if (changes.description() != null) {
            video.description = changes.description().isBlank() ? null : changes.description();
        }
        video.category = category;
        if (changes.visibility() != null) {
            video.visibility = changes.visibility();
        }
        video.updatedAt = Instant.now();
        return video;
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        Video video = access.changeable(id, caller);
        deleteAll(List.of(video), caller.id());
    }

    /** Deletes every video of one owner (admin bulk delete); returns how many. */
    public int deleteByOwner(UUID ownerId, UUID deletedBy) {
        return deleteInBatches(ownerId, deletedBy);
    }

    /**
     * {@code user.deleted}: remembers the user as deleted (late events for them create nothing, see
     * {@link VideoLifecycle}), then deletes every video of theirs; returns how many.
     */
    public int deleteUser(UUID userId, UUID deletedBy) {
        QuarkusTransaction.requiringNew().run(() -> videos.tombstoneUser(userId));
        return deleteInBatches(userId, deletedBy);
    }

    /** Deletes every video of the platform; returns how many. */
    public int deleteEverything(UUID deletedBy) {
        return deleteInBatches(null, deletedBy);
    }

    private int deleteInBatches(UUID ownerId, UUID deletedBy) {
        int total = 0;
        while (true) {
            int deleted = QuarkusTransaction.requiringNew().call(() -> {
                List<Video> batch = (ownerId == null ? videos.findAll() : videos.find("ownerId", ownerId))
                        .page(0, 200).list();
                deleteAll(batch, deletedBy);
                return batch.size();
            });
            total += deleted;
            if (deleted < 200) {
                return total;
            }
        }
    }

    /**
     * Removes the rows, remembers the ids, publishes {@code video.deleted}; blobs go after commit unless a live
     * video still shares them ({@link SharedMedia}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void deleteAll(List<Video> doomed, UUID deletedBy) {
        if (doomed.isEmpty()) {
            return;
        }
        Set<UUID> media = shared.beforeDelete(doomed);
        for (Video video : doomed) {
            if (video.previousRoot != null) {
                media.add(video.previousRoot); // replaced within the grace period: the old media goes now too
            }
            if (video.replacing != null) {
                replacements.cancel(video.ownerId, video.replacing, deletedBy); // a replace in flight
            }
        }
        for (Video video : doomed) {
            videos.delete(video);
            videos.tombstone(video.id);
        }
        videos.flush();
        for (Video video : doomed) {
            outbox.publish(Topics.VIDEO_DELETED, video.id, new VideoDeleted(video.id, video.ownerId, video.fileName,
                    video.sizeBytes, deletedBy, shared.heir(video).orElse(null)));
            live.publish(VideoUpdate.deleted(video.id));
        }
        shared.afterDelete(media); // blobs no live video is or shares go after commit
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static VideoStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return VideoStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_value",
                    "status must be one of UPLOADING, PROCESSING, READY, FAILED.");
        }
    }
}
