package dev.clipflow.catalog.video;

import dev.clipflow.contracts.api.Page;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Videos in PostgreSQL, with the filtered full-text list queries. */
@ApplicationScoped
public class VideoRepository implements PanacheRepositoryBase<Video, UUID> {

    /**
     * What a list shows.
     *
     * @param viewer the signed-in user; null for the admin view of everything
     * @param includePlatform with a viewer: also the READY PLATFORM videos of others
     * @param ownerId only this owner's videos (admin filter), or null
     */
    public record Criteria(UUID viewer, boolean includePlatform, UUID ownerId, String q, String category,
            VideoStatus status) {
    }

    public Page<Video> search(Criteria criteria, Page.PageRequest page) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (criteria.viewer() != null) {
            params.put("viewer", criteria.viewer());
            where.add(criteria.includePlatform()
                    ? "(owner_id = :viewer or (visibility = 'PLATFORM' and status = 'READY'))"
                    : "owner_id = :viewer");
        }
        if (criteria.ownerId() != null) {
            where.add("owner_id = :owner");
            params.put("owner", criteria.ownerId());
        }
        if (criteria.category() != null) {
            where.add("lower(category) = lower(:category)");
            params.put("category", criteria.category());
        }
        if (criteria.status() != null) {
            where.add("status = :status");
            params.put("status", criteria.status().name());
        }
        String tsquery = prefixQuery(criteria.q());
        if (tsquery != null) {
            where.add("search @@ to_tsquery('simple', :q)");
            params.put("q", tsquery);
        }
        String filter = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        Query count = getEntityManager().createNativeQuery("select count(*) from video" + filter);
        Query select = getEntityManager().createNativeQuery(
                "select * from video" + filter + " order by created_at desc, id desc limit :limit offset :offset",
                Video.class);
        params.forEach((name, value) -> {
            count.setParameter(name, value);
            select.setParameter(name, value);
        });
        select.setParameter("limit", page.size());
        select.setParameter("offset", page.offset());
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Video> items = select.getResultList();
        return new Page<>(items, page.page(), page.size(), total);
    }

    /**
     * A tsquery matching every word of the user's text as a prefix ({@code hol vid -> hol:* & vid:*}),
     * or null when the text holds no word. Only letters and digits reach the query, so no user text
     * can break its syntax.
     */
    public static String prefixQuery(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        List<String> terms = new ArrayList<>();
        for (String word : q.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && terms.size() < 10) {
                terms.add(word + ":*");
            }
        }
        return terms.isEmpty() ? null : String.join(" & ", terms);
    }

    public List<Video> byOwner(UUID ownerId) {
        return list("ownerId", ownerId);
    }

    public boolean isTombstoned(UUID id) {
        return getEntityManager().find(VideoTombstone.class, id) != null;
    }

    public void tombstone(UUID id) {
        getEntityManager().createNativeQuery("insert into video_tombstone (id) values (?1) on conflict do nothing")
                .setParameter(1, id)
                .executeUpdate();
    }

    /** Serialises one owner's checks and changes across replicas (until the transaction ends). */
    public void lockOwner(UUID ownerId) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(?1)")
                .setParameter(1, ownerId.getMostSignificantBits() ^ ownerId.getLeastSignificantBits())
                .getSingleResult();
    }

    public long processingOf(UUID ownerId) {
        return count("ownerId = ?1 and status = ?2", ownerId, VideoStatus.PROCESSING);
    }

    /**
     * Shared media: locks (in id order, so concurrent deletions cannot deadlock) every live video that is one of
     * these media roots or plays one of them, so a deletion and a duplicate's link take turns.
     */
    public void lockMedia(Collection<UUID> roots) {
        if (!roots.isEmpty()) {
            getEntityManager().createNativeQuery(
                    "select id from video where id in (?1) or media_of in (?1) order by id for update")
                    .setParameter(1, roots).getResultList();
        }
    }

    /** Whether a live video is this media root or plays its media. */
    public boolean mediaInUse(UUID root) {
        return !getEntityManager().createNativeQuery("select 1 from video where id = ?1 or media_of = ?1 limit 1")
                .setParameter(1, root).getResultList().isEmpty();
    }

    /** The oldest live video that is this media root or plays it, other than {@code except}. */
    public Optional<UUID> sharingLive(UUID root, UUID except) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select id from video where (id = ?1 or media_of = ?1) and id <> ?2 order by created_at, id limit 1""")
                .setParameter(1, root).setParameter(2, except).getResultList();
        return rows.stream().findFirst().map(row -> (UUID) row);
    }

    /** The live videos playing the media of this root (duplicates of its content). */
    public List<Video> sharing(UUID root) {
        return list("mediaOf", root);
    }

    /** The video whose pending replace uploads and transcodes under this media id, locked; null when none. */
    public Video replacingWith(UUID mediaId) {
        List<Video> found = find("replacing", mediaId).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .list();
        return found.isEmpty() ? null : found.get(0);
    }

    /** Whether a live video plays this media root without being it (a replaced video, or a duplicate). */
    public boolean playedByOthers(UUID root) {
        return !getEntityManager().createNativeQuery("select 1 from video where media_of = ?1 and id <> ?1 limit 1")
                .setParameter(1, root).getResultList().isEmpty();
    }

    /** The old media root of a replaced video is to be deleted at {@code dueAt} (a later date wins). */
    public void retireMedia(UUID root, UUID videoId, java.time.Instant dueAt) {
        getEntityManager().createNativeQuery("""
                insert into media_retirement (root, video_id, due_at) values (?1, ?2, ?3)
                on conflict (root) do update set due_at = greatest(media_retirement.due_at, excluded.due_at),
                video_id = excluded.video_id""")
                .setParameter(1, root).setParameter(2, videoId).setParameter(3, dueAt).executeUpdate();
    }

    /** Retirements due at {@code now}, claimed (row locks, skipping ones another replica holds): root -> video. */
    public Map<UUID, UUID> dueRetirements(java.time.Instant now, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                select root, video_id from media_retirement where due_at <= ?1 order by due_at limit ?2
                for update skip locked""").setParameter(1, now).setParameter(2, limit).getResultList();
        Map<UUID, UUID> due = new java.util.LinkedHashMap<>();
        rows.forEach(row -> due.put((UUID) row[0], (UUID) row[1]));
        return due;
    }

    public void forgetRetirement(UUID root) {
        getEntityManager().createNativeQuery("delete from media_retirement where root = ?1").setParameter(1, root)
                .executeUpdate();
    }

    public boolean isUserTombstoned(UUID userId) {
        return userId != null && !getEntityManager().createNativeQuery("select 1 from user_tombstone where id = ?1")
                .setParameter(1, userId).getResultList().isEmpty();
    }

    public void tombstoneUser(UUID userId) {
        getEntityManager().createNativeQuery("insert into user_tombstone (id) values (?1) on conflict do nothing")
                .setParameter(1, userId)
                .executeUpdate();
    }

    public boolean categoryInUse(String name) {
        return count("lower(category) = lower(?1)", name) > 0;
    }
}
