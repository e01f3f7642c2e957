package dev.clipflow.catalog.caption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.UUID;

/**
 * The words of each caption track ({@code caption} rows), and the video's {@code captions_text} that the
 * video's generated search vector reads: the words of all its tracks, refreshed after every change.
 */
@ApplicationScoped
public class CaptionRepository {

    /** How many characters of caption words a video's search covers (a tsvector has a size limit). */
    static final int MAX_SEARCH_CHARS = 200_000;

    private final EntityManager em;

    public CaptionRepository(EntityManager em) {
        this.em = em;
    }

    public void put(UUID videoId, String lang, String words, Instant at) {
        em.createNativeQuery("insert into caption (video_id, lang, text, updated_at) values (?1, ?2, ?3, ?4) "
                        + "on conflict (video_id, lang) do update set text = excluded.text, updated_at = excluded.updated_at")
                .setParameter(1, videoId).setParameter(2, lang).setParameter(3, words).setParameter(4, at)
                .executeUpdate();
        refreshSearch(videoId);
    }

    public boolean delete(UUID videoId, String lang) {
        int deleted = em.createNativeQuery("delete from caption where video_id = ?1 and lang = ?2")
                .setParameter(1, videoId).setParameter(2, lang).executeUpdate();
        refreshSearch(videoId);
        return deleted > 0;
    }

    private void refreshSearch(UUID videoId) {
        em.flush();
        em.createNativeQuery("update video set captions_text = (select left(string_agg(text, ' ' order by lang), ?2) "
                        + "from caption where video_id = ?1) where id = ?1")
                .setParameter(1, videoId).setParameter(2, MAX_SEARCH_CHARS).executeUpdate();
    }
}
