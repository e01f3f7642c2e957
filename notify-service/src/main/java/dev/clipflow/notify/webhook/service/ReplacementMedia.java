package dev.clipflow.notify.webhook.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The media ids of replacement uploads and the videos they replace ({@code video.uploaded} with {@code replaces}).
 * A replacement is uploaded and transcoded under its own media id; its events are about the video it replaces, so
 * the webhooks that come of them name that video. Kept (one small row of two ids per replace): events of a media
 * id can come long after its upload (a job re-run by an admin).
 */
@ApplicationScoped
public class ReplacementMedia {

    private final EntityManager em;

    public ReplacementMedia(EntityManager em) {
        this.em = em;
    }

    /** Records that {@code mediaId} is the replacement upload of {@code videoId} (idempotent). */
    public void remember(UUID mediaId, UUID videoId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into replacement_media (media_id, video_id) values (?1, ?2)
                on conflict (media_id) do nothing""")
                .setParameter(1, mediaId)
                .setParameter(2, videoId)
                .executeUpdate());
    }

    /** The video {@code mediaId} replaces the file of; empty when it is a video of its own. */
    public Optional<UUID> videoOf(UUID mediaId) {
        if (mediaId == null) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> found = em.createNativeQuery("select video_id from replacement_media where media_id = ?1",
                    UUID.class).setParameter(1, mediaId).getResultList();
            return found.stream().findFirst();
        });
    }
}
