package dev.clipflow.catalog.caption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The words of each caption track ({@code caption} rows), and the video's {@code captions_text} that the
 * video's generated search vector reads: the distinct words of all its tracks, refreshed after every change.
 */
@ApplicationScoped
public class CaptionRepository {

    /** How many characters of distinct caption words a video's search covers (a tsvector has a size limit). */
    static final int MAX_SEARCH_CHARS = 200_000;

    /** Where the search splits words (as {@code VideoRepository.prefixQuery} splits a query). */
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");

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

    /**
     * Sets the video's {@code captions_text} to the distinct words of all its captions (lower case, split where the
     * search splits a query: at everything but letters and digits), so a list query that reads the video row
     * carries a short vocabulary, not whole transcripts.
     */
    private void refreshSearch(UUID videoId) {
        em.flush();
        @SuppressWarnings("unchecked")
        List<String> texts = em.createNativeQuery("select text from caption where video_id = ?1 order by lang")
                .setParameter(1, videoId).getResultList();
        Set<String> words = new LinkedHashSet<>();
        for (String text : texts) {
            for (String word : WORD_BREAK.split(text.toLowerCase(Locale.ROOT))) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        String vocabulary = String.join(" ", words);
        if (vocabulary.length() > MAX_SEARCH_CHARS) {
            vocabulary = vocabulary.substring(0, vocabulary.lastIndexOf(' ', MAX_SEARCH_CHARS));
        }
        em.createNativeQuery("update video set captions_text = ?2 where id = ?1")
                .setParameter(1, videoId).setParameter(2, words.isEmpty() ? null : vocabulary).executeUpdate();
    }
}
