package dev.clipflow.quota.usage;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import dev.clipflow.quota.config.QuotaConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code quotas} collection: one document per user, {@code _id} = user id.
 *
 * <pre>
 * { _id, storage: {limit, used, reserved}, bandwidth: {limit, used, periodStart},
 *   deletions: {count, bytes},
 *   reservations: [{id, bytes, videoId, fileName, expiresAt, createdAt}],
 *   files: [{videoId, fileName, sizeBytes, reservationId, addedAt,      // sizeBytes: the original, charged
 *            mp4Bytes, renditionsBytes, thumbnailBytes}],                // what transcoding stored, shown only
 *   armed: {storage80, storage100, bandwidth80, bandwidth100},   // true = the next crossing alerts
 *   pendingAlerts: [{id, resource, threshold, usedBytes, limitBytes, percentUsed, at}],
 *   events: [last CloudEvent ids applied], seq, alertsDirty, createdAt }
 * </pre>
 *
 * Every change of usage is one conditional update of this document ({@code $inc}, {@code $push},
 * {@code $pull} under a filter that states what must still hold), so it is atomic on any MongoDB
 * without transactions. {@code deleted_users} holds tombstones so late events do not resurrect a user.
 */
@Singleton
public class QuotaRepository {

    public static final String COLLECTION = "quotas";
    public static final String TOMBSTONES = "deleted_users";

    public static final String STORAGE_LIMIT = "storage.limit";
    public static final String STORAGE_USED = "storage.used";
    public static final String STORAGE_RESERVED = "storage.reserved";
    public static final String BANDWIDTH_LIMIT = "bandwidth.limit";
    public static final String BANDWIDTH_USED = "bandwidth.used";
    public static final String BANDWIDTH_PERIOD = "bandwidth.periodStart";
    public static final String DELETION_COUNT = "deletions.count";
    public static final String DELETION_BYTES = "deletions.bytes";
    public static final String RESERVATIONS = "reservations";
    public static final String FILES = "files";
    public static final String ARMED = "armed";
    public static final String PENDING_ALERTS = "pendingAlerts";
    public static final String EVENTS = "events";
    public static final String SEQ = "seq";
    public static final String ALERTS_DIRTY = "alertsDirty";

    private final MongoCollection<Document> quotas;
    private final MongoCollection<Document> tombstones;
    private final QuotaConfig config;
    private final Clock clock;

    public QuotaRepository(MongoDatabase database, QuotaConfig config, Clock clock) {
        this.quotas = database.getCollection(COLLECTION);
        this.tombstones = database.getCollection(TOMBSTONES);
        this.config = config;
        this.clock = clock;
    }

    public MongoCollection<Document> quotas() {
        return quotas;
    }

    void onStart(@Observes StartupEvent event) {
        createIndexes();
    }

    /** Creates the indexes the lookups by reservation, expiry and pending alert rely on. */
    public void createIndexes() {
        try {
            quotas.createIndex(Indexes.ascending("reservations.id"));
            quotas.createIndex(Indexes.ascending("reservations.expiresAt"));
            quotas.createIndex(Indexes.ascending("files.reservationId"));
            quotas.createIndex(Indexes.ascending("pendingAlerts.id"));
            quotas.createIndex(Indexes.ascending(ALERTS_DIRTY), new IndexOptions().sparse(true));
        } catch (MongoException e) {
            Log.warnf("Could not create MongoDB indexes (will work without them): %s", e.getMessage());
        }
    }

    public Instant now() {
        return clock.instant();
    }

    public Document find(UUID userId) {
        return quotas.find(new Document("_id", userId.toString())).first();
    }

    /** The user's document, created with the configured defaults if it does not exist yet. */
    public void ensureExists(UUID userId) {
        if (quotas.countDocuments(new Document("_id", userId.toString())) > 0) {
            return;
        }
        try {
            quotas.insertOne(defaults(userId));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** A fresh document with the configured default limits, for a user seen for the first time. */
    public Document defaults(UUID userId) {
        Instant now = now();
        return new Document("_id", userId.toString())
                .append("storage", new Document("limit", config.defaultStorageLimitBytes()).append("used", 0L)
                        .append("reserved", 0L))
                .append("bandwidth", new Document("limit", config.defaultBandwidthLimitBytes()).append("used", 0L)
                        .append("periodStart", Date.from(QuotaMath.periodStart(now))))
                .append("deletions", new Document("count", 0L).append("bytes", 0L))
                .append(RESERVATIONS, new ArrayList<>())
                .append(FILES, new ArrayList<>())
                .append(ARMED, new Document("storage80", true).append("storage100", true)
                        .append("bandwidth80", true).append("bandwidth100", true))
                .append(PENDING_ALERTS, new ArrayList<>())
                .append(EVENTS, new ArrayList<>())
                .append(SEQ, 0L)
                .append("createdAt", Date.from(now));
    }

    public boolean isDeleted(UUID userId) {
        return tombstones.countDocuments(new Document("_id", userId.toString())) > 0;
    }

    /** Drops the user's document and remembers the deletion (idempotent). */
    public void deleteUser(UUID userId) {
        tombstones.replaceOne(new Document("_id", userId.toString()),
                new Document("_id", userId.toString()).append("deletedAt", Date.from(now())),
                new ReplaceOptions().upsert(true));
        quotas.deleteOne(new Document("_id", userId.toString()));
    }

    /** The user's document projected to the figures and the reservation held for a video, or null when none. */
    public Document reservationOfVideo(UUID userId, UUID videoId) {
        return quotas.find(new Document("_id", userId.toString()).append(RESERVATIONS + ".videoId", videoId.toString()))
                .projection(Projections.fields(STATE,
                        Projections.elemMatch(RESERVATIONS, new Document("videoId", videoId.toString()))))
                .first();
    }

    /**
     * Charges the original a job produced for a video that has no file entry and no reservation (an edit whose
     * reservation ran out before its result was stored): the bytes exist, so they count, limit or not.
     * Idempotent per video; returns the figures after, or null when nothing changed.
     */
    public Document chargeProducedOriginal(UUID userId, UUID videoId, long bytes) {
        Document file = new Document("videoId", videoId.toString()).append("fileName", null).append("sizeBytes", bytes)
                .append("reservationId", null).append("addedAt", Date.from(now()));
        return quotas.findOneAndUpdate(new Document("_id", userId.toString())
                        .append(FILES + ".videoId", new Document("$ne", videoId.toString()))
                        .append(RESERVATIONS + ".videoId", new Document("$ne", videoId.toString())),
                new Document("$inc", new Document(STORAGE_USED, bytes).append(SEQ, 1L))
                        .append("$set", new Document(ALERTS_DIRTY, true))
                        .append("$push", new Document(FILES, file)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(STATE));
    }

    /**
     * Records what transcoding stored for a video beside its original (MP4, HLS renditions, thumbnail) on its
     * file entry: shown per video and in the stored total, not charged against the limit. Setting, not adding:
     * a repeated or re-run transcode leaves the figures of the last one. False when the video has no entry.
     */
    public boolean recordOutputs(UUID userId, UUID videoId, long mp4Bytes, long renditionsBytes, long thumbnailBytes) {
        return quotas.updateOne(new Document("_id", userId.toString()).append(FILES + ".videoId", videoId.toString()),
                new Document("$set", new Document(FILES + ".$.mp4Bytes", mp4Bytes)
                        .append(FILES + ".$.renditionsBytes", renditionsBytes)
                        .append(FILES + ".$.thumbnailBytes", thumbnailBytes))).getMatchedCount() > 0;
    }

    /** The update part that records an applied CloudEvent id, keeping the last N. */
    public Document rememberEvent(String eventId) {
        return new Document("$push", new Document(EVENTS,
                new Document("$each", List.of(eventId)).append("$slice", -config.processedEventsKept())));
    }

    /** {@code $expr} operand: storage in use, committed plus reserved. */
    public static Object storageUsage() {
        return new Document("$add", List.of("$" + STORAGE_USED, "$" + STORAGE_RESERVED));
    }

    /** {@code $expr}: {@code usage} (an expression) is at or above {@code threshold} % of {@code limitField}. */
    public static Document reachedExpr(Object usage, String limitField, int threshold) {
        return new Document("$and", List.of(
                new Document("$gt", List.of(usage, 0L)),
                new Document("$gte", List.of(new Document("$multiply", List.of(usage, 100L)),
                        new Document("$multiply", List.of("$" + limitField, (long) threshold))))));
    }

    /**
     * The fields usage updates return ({@code findOneAndUpdate} projection): enough for the storage
     * figures and the alert evaluation, without the potentially long arrays.
     */
    public static final Document STATE = new Document("storage", 1).append("bandwidth", 1).append(ARMED, 1)
            .append(SEQ, 1).append(ALERTS_DIRTY, 1);

    /** The storage figures of a document (full or projected with {@link #STATE}). */
    public static QuotaView.Storage storageView(Document doc) {
        Document storage = doc.get("storage", Document.class);
        long limit = longOf(storage, "limit");
        long used = longOf(storage, "used");
        long reserved = longOf(storage, "reserved");
        double percent = QuotaMath.percent(used + reserved, limit);
        return new QuotaView.Storage(limit, used, reserved, percent, percent >= QuotaMath.ALERT_PERCENT);
    }

    /** The view of a document (or of the defaults when the user has none yet). */
    public QuotaView view(UUID userId, Document doc) {
        Document d = doc != null ? doc : defaults(userId);
        Document bandwidth = d.get("bandwidth", Document.class);
        Instant current = QuotaMath.periodStart(now());
        Instant docPeriod = bandwidth.getDate("periodStart").toInstant();
        Instant period = docPeriod.isBefore(current) ? current : docPeriod;
        long bandwidthUsed = docPeriod.isBefore(current) ? 0L : longOf(bandwidth, "used");
        long bandwidthLimit = longOf(bandwidth, "limit");
        double bandwidthPercent = QuotaMath.percent(bandwidthUsed, bandwidthLimit);
        Document deletions = d.get("deletions", Document.class);
        List<QuotaView.File> files = d.getList(FILES, Document.class, List.of()).stream()
                .map(f -> QuotaView.File.of(UUID.fromString(f.getString("videoId")), f.getString("fileName"),
                        longOf(f, "sizeBytes"), longOf(f, "mp4Bytes"), longOf(f, "renditionsBytes"),
                        longOf(f, "thumbnailBytes")))
                .toList();
        QuotaView.Storage storage = storageView(d);
        return new QuotaView(storage.withStored(files.stream().mapToLong(QuotaView.File::storedBytes).sum()),
                new QuotaView.Bandwidth(bandwidthLimit, bandwidthUsed, period, QuotaMath.periodEnd(period),
                        bandwidthPercent, bandwidthPercent >= QuotaMath.ALERT_PERCENT),
                new QuotaView.Deletions(longOf(deletions, "count"), longOf(deletions, "bytes")),
                files);
    }

    public static long longOf(Document doc, String key) {
        Object value = doc == null ? null : doc.get(key);
        return value instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    public static boolean armed(Document doc, String key) {
        Object armed = doc.get(ARMED);
        return !(armed instanceof Map<?, ?> map) || !Boolean.FALSE.equals(((Map<String, Object>) map).get(key));
    }
}
