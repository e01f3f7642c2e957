package dev.clipflow.quota.account;

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
import dev.clipflow.contracts.events.VideoStored;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The {@code quotas} collection behind methods that say what they do: one document per user, {@code _id} = user id.
 *
 * <pre>
 * { _id, storage: {limit, used, reserved}, bandwidth: {limit, used, periodStart},
 *   deletions: {count, bytes},
 *   reservations: [{id, bytes, videoId, fileName, expiresAt, createdAt}],
 *   files: [{videoId, fileName, sizeBytes, reservationId, addedAt,      // sizeBytes: the original, charged
 *            mp4Bytes, renditionsBytes, thumbnailBytes,                  // what transcoding stored, shown only
 *            captionsBytes, originalBytes, storyboardBytes, audioBytes}],  // video.stored: captions; the original
 *                                                                       // still stored (absent: sizeBytes); the
 *                                                                       // storyboard; the audio-only download
 *   storedAt: {<videoId>: {thumbnail|captions|original|storyboard|audio: time}},  // the latest video.stored applied per kind
 *   early: {<videoId>: {<kind>: {bytes, at}}},   // a video.stored that came before the video's file entry
 *   armed: {storage80, storage100, bandwidth80, bandwidth100},   // true = the next crossing alerts
 *   pendingAlerts: [{id, resource, threshold, usedBytes, limitBytes, percentUsed, at}],
 *   events: [the last CloudEvent ids applied], seq, alertsDirty, createdAt }
 * </pre>
 *
 * Every change of usage is one conditional update of this document ({@code $inc}, {@code $push},
 * {@code $pull} under a filter that states what must still hold), so it is atomic on any MongoDB
 * without transactions; each returns the {@link QuotaState} it left, or null when its filter matched
 * nothing (the caller then finds out why). {@code deleted_users} holds tombstones so late events do not
 * resurrect a user; {@code processed_events} remembers applied event ids for the topics' retention.
 * Nothing outside this class sees a field name or a {@code Document}.
 */
@Singleton
public class QuotaRepository {

    static final String COLLECTION = "quotas";
    static final String TOMBSTONES = "deleted_users";
    static final String PROCESSED = "processed_events";

    private static final String STORAGE_LIMIT = "storage.limit";
    private static final String STORAGE_USED = "storage.used";
    private static final String STORAGE_RESERVED = "storage.reserved";
    private static final String BANDWIDTH_LIMIT = "bandwidth.limit";
    private static final String BANDWIDTH_USED = "bandwidth.used";
    private static final String BANDWIDTH_PERIOD = "bandwidth.periodStart";
    private static final String DELETION_COUNT = "deletions.count";
    private static final String DELETION_BYTES = "deletions.bytes";
    private static final String RESERVATIONS = "reservations";
    private static final String FILES = "files";
    private static final String ARMED = "armed";
    private static final String PENDING_ALERTS = "pendingAlerts";
    private static final String EVENTS = "events";
    private static final String SEQ = "seq";
    private static final String ALERTS_DIRTY = "alertsDirty";
    private static final String STORED_AT = "storedAt";
    private static final String EARLY = "early";
    private static final String THUMBNAIL = VideoStored.THUMBNAIL;
    private static final String CAPTIONS = VideoStored.CAPTIONS;
    private static final String ORIGINAL = VideoStored.ORIGINAL;
    private static final String STORYBOARD = VideoStored.STORYBOARD;
    private static final String AUDIO = VideoStored.AUDIO;

    /** The fields usage updates return: the figures and alert state, without the potentially long arrays. */
    private static final Document STATE = new Document("storage", 1).append("bandwidth", 1).append(ARMED, 1)
            .append(SEQ, 1).append(ALERTS_DIRTY, 1);
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions()
            .returnDocument(ReturnDocument.AFTER).projection(STATE);

    /** What a reservation id stands for on a user's document (see {@link #lookupReservation}). */
    public record ReservationLookup(QuotaState state, Long heldBytes, Long committedBytes) {
    }

    /** A video's entries on its owner's document (see {@link #videoEntries}). */
    public record VideoEntries(List<HeldReservation> reservations, StoredFile file) {
    }

    /** One pass of the expiry sweep: the reservations past their expiry, and whether more documents may hold some. */
    public record ExpiredBatch(List<HeldReservation> reservations, boolean more) {
    }

    private final MongoCollection<Document> quotas;
    private final MongoCollection<Document> tombstones;
    private final MongoCollection<Document> processed;
    private final QuotaConfig config;
    private final Clock clock;

    public QuotaRepository(MongoDatabase database, QuotaConfig config, Clock clock) {
        this.quotas = database.getCollection(COLLECTION);
        this.tombstones = database.getCollection(TOMBSTONES);
        this.processed = database.getCollection(PROCESSED);
        this.config = config;
        this.clock = clock;
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
            // a real MongoDB removes processed ids by itself; mongo-java-server ignores TTL indexes, so
            // purgeProcessedEvents does the same on a timer
            processed.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        } catch (MongoException e) {
            Log.warnf("Could not create MongoDB indexes (will work without them): %s", e.getMessage());
        }
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- users

    /** The user's document, created with the configured default limits if it does not exist yet. */
    public void ensureExists(UUID userId) {
        if (quotas.countDocuments(byId(userId)) > 0) {
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

    public boolean exists(UUID userId) {
        return quotas.countDocuments(byId(userId)) > 0;
    }

    public boolean isDeleted(UUID userId) {
        return tombstones.countDocuments(byId(userId)) > 0;
    }

    /** Drops the user's document and remembers the deletion (idempotent). */
    public void deleteUser(UUID userId) {
        tombstones.replaceOne(byId(userId), byId(userId).append("deletedAt", Date.from(now())),
                new ReplaceOptions().upsert(true));
        quotas.deleteOne(byId(userId));
    }

    /** The user's quota as the API shows it (the defaults when the user has no document yet). */
    public QuotaView view(UUID userId) {
        return view(userId, quotas.find(byId(userId)).first());
    }

    /** The user's figures, or null when the user has no document. */
    public QuotaState state(UUID userId) {
        return state(quotas.find(byId(userId)).projection(STATE).first());
    }

    /** Sets both limits of an existing document. */
    public QuotaState setLimits(UUID userId, long storageLimitBytes, long bandwidthLimitBytes) {
        return state(quotas.findOneAndUpdate(byId(userId),
                usage(new Document("$set", new Document(STORAGE_LIMIT, storageLimitBytes)
                        .append(BANDWIDTH_LIMIT, bandwidthLimitBytes))),
                AFTER));
    }

    // ---- reservations

    /**
     * Reserves {@code bytes} if they fit: one {@code findOneAndUpdate} whose filter holds the limit check
     * ({@code used + reserved + bytes <= limit}) and the absence of the reservation id (held or committed).
     * Null when it did not match: no document, the id is known, or it does not fit.
     */
    public QuotaState tryReserve(UUID userId, UUID reservationId, long bytes, UUID videoId, String fileName,
            Instant expiresAt) {
        String id = reservationId.toString();
        Document entry = new Document("id", id)
                .append("bytes", bytes)
                .append("videoId", videoId.toString())
                .append("fileName", fileName)
                .append("expiresAt", Date.from(expiresAt))
                .append("createdAt", Date.from(now()));
        Document filter = byId(userId)
                .append(RESERVATIONS + ".id", new Document("$ne", id))
                .append(FILES + ".reservationId", new Document("$ne", id))
                .append("$expr", fits(bytes));
        return state(quotas.findOneAndUpdate(filter,
                usage(new Document("$inc", new Document(STORAGE_RESERVED, bytes))
                        .append("$push", new Document(RESERVATIONS, entry))),
                AFTER));
    }

    /**
     * The figures of the user and what the reservation id stands for there: the bytes it holds, or the size it
     * was committed with. Null when the user has no document.
     */
    public ReservationLookup lookupReservation(UUID userId, UUID reservationId) {
        String id = reservationId.toString();
        Document doc = quotas.find(byId(userId))
                .projection(Projections.fields(STATE,
                        Projections.elemMatch(RESERVATIONS, new Document("id", id)),
                        Projections.elemMatch(FILES, new Document("reservationId", id))))
                .first();
        if (doc == null) {
            return null;
        }
        Document held = first(doc, RESERVATIONS);
        Document committed = first(doc, FILES);
        return new ReservationLookup(state(doc), held == null ? null : longOf(held, "bytes"),
                committed == null ? null : longOf(committed, "sizeBytes"));
    }

    /** The reservation while it is held (of {@code owner} only, when given). */
    public Optional<HeldReservation> heldReservation(UUID reservationId, UUID owner) {
        String id = reservationId.toString();
        Document filter = owner != null ? byId(owner) : new Document();
        Document doc = quotas.find(filter.append(RESERVATIONS + ".id", id))
                .projection(Projections.elemMatch(RESERVATIONS, new Document("id", id)))
                .first();
        return Optional.ofNullable(doc).map(d -> reservation(d.getString("_id"), first(d, RESERVATIONS)));
    }

    /** The user a reservation was committed to (of {@code owner} only, when given). */
    public Optional<UUID> committedTo(UUID reservationId, UUID owner) {
        Document filter = owner != null ? byId(owner) : new Document();
        Document doc = quotas.find(filter.append(FILES + ".reservationId", reservationId.toString()))
                .projection(new Document("_id", 1)).first();
        return Optional.ofNullable(doc).map(d -> UUID.fromString(d.getString("_id")));
    }

    /** The user's figures while the reservation is still held there, else null. */
    public QuotaState stateWhileHeld(HeldReservation reservation) {
        return state(quotas.find(byId(reservation.userId()).append(RESERVATIONS + ".id", reservation.id().toString()))
                .projection(STATE).first());
    }

    /**
     * Turns a held reservation into used storage with its file entry of {@code sizeBytes}, in one update filtered
     * on the reservation still being held. {@code withinLimit}: a size above the reservation must also fit the
     * limit. Null when it did not match (gone meanwhile, or over the limit).
     */
    public QuotaState commit(HeldReservation reservation, long sizeBytes, boolean withinLimit) {
        String id = reservation.id().toString();
        Document filter = byId(reservation.userId()).append(RESERVATIONS + ".id", id);
        if (withinLimit && sizeBytes > reservation.bytes()) {
            filter.append("$expr", fits(sizeBytes - reservation.bytes()));
        }
        Document file = new Document("videoId", reservation.videoId().toString())
                .append("fileName", reservation.fileName())
                .append("sizeBytes", sizeBytes)
                .append("reservationId", id)
                .append("addedAt", Date.from(now()));
        return state(quotas.findOneAndUpdate(filter,
                usage(new Document("$inc", new Document(STORAGE_RESERVED, -reservation.bytes()).append(STORAGE_USED, sizeBytes))
                        .append("$pull", new Document(RESERVATIONS, new Document("id", id)))
                        .append("$push", new Document(FILES, file))),
                AFTER));
    }

    /** Gives a held reservation's bytes back (and forgets sizes kept early for its video); null when it was not held any more. */
    public QuotaState release(HeldReservation reservation) {
        String id = reservation.id().toString();
        Document update = new Document("$inc", new Document(STORAGE_RESERVED, -reservation.bytes()))
                .append("$pull", new Document(RESERVATIONS, new Document("id", id)));
        if (reservation.videoId() != null) {
            update.append("$unset", new Document(EARLY + "." + reservation.videoId(), ""));
        }
        return state(quotas.findOneAndUpdate(byId(reservation.userId()).append(RESERVATIONS + ".id", id),
                usage(update), AFTER));
    }

    /** A reservation held for the video (an edit waiting for its result), if any. */
    public Optional<HeldReservation> reservationOfVideo(UUID userId, UUID videoId) {
        Document doc = quotas.find(byId(userId).append(RESERVATIONS + ".videoId", videoId.toString()))
                .projection(Projections.elemMatch(RESERVATIONS, new Document("videoId", videoId.toString())))
                .first();
        return Optional.ofNullable(doc).map(d -> reservation(d.getString("_id"), first(d, RESERVATIONS)));
    }

    /** Reservations past their expiry, from at most {@code documents} users. */
    public ExpiredBatch expiredReservations(Instant now, int documents) {
        Date before = Date.from(now);
        List<Document> docs = quotas.find(new Document(RESERVATIONS + ".expiresAt", new Document("$lt", before)))
                .projection(new Document(RESERVATIONS, 1))
                .limit(documents)
                .into(new ArrayList<>());
        List<HeldReservation> expired = new ArrayList<>();
        for (Document doc : docs) {
            for (Document entry : doc.getList(RESERVATIONS, Document.class)) {
                if (entry.getDate("expiresAt").before(before)) {
                    expired.add(reservation(doc.getString("_id"), entry));
                }
            }
        }
        return new ExpiredBatch(expired, docs.size() == documents);
    }

    // ---- usage from events

    /**
     * Adds bytes to the bandwidth of the period starting at {@code period} and records the event id, unless the
     * document is in another period or applied the event already (then null).
     */
    public QuotaState addBandwidth(String eventId, UUID userId, Instant period, long bytes) {
        Document filter = byId(userId).append(BANDWIDTH_PERIOD, Date.from(period))
                .append(EVENTS, new Document("$ne", eventId));
        return state(quotas.findOneAndUpdate(filter,
                remember(eventId, usage(new Document("$inc", new Document(BANDWIDTH_USED, bytes)))), AFTER));
    }

    /**
     * Starts the bandwidth period {@code period} with {@code bytes} (usage from zero, bandwidth alerts re-armed)
     * and records the event id, if the document is still in an earlier period and did not apply the event.
     */
    public QuotaState startBandwidthPeriod(String eventId, UUID userId, Instant period, long bytes) {
        Document filter = byId(userId).append(BANDWIDTH_PERIOD, new Document("$lt", Date.from(period)))
                .append(EVENTS, new Document("$ne", eventId));
        return state(quotas.findOneAndUpdate(filter,
                remember(eventId, usage(new Document("$set", new Document(BANDWIDTH_USED, bytes)
                        .append(BANDWIDTH_PERIOD, Date.from(period))
                        .append(ARMED + "." + alertKey("BANDWIDTH", 80), true)
                        .append(ARMED + "." + alertKey("BANDWIDTH", 100), true)))),
                AFTER));
    }

    /** The start of the user's current bandwidth period as stored, empty when the user has no document. */
    public Optional<Instant> bandwidthPeriod(UUID userId) {
        return Optional.ofNullable(quotas.find(byId(userId)).projection(new Document(BANDWIDTH_PERIOD, 1)).first())
                .map(d -> d.get("bandwidth", Document.class).getDate("periodStart").toInstant());
    }

    /**
     * Whether the event was applied to the user's quota: its id is in the document's recent ids (written in the
     * same update as the effect) or in {@code processed_events} (kept for the topics' retention).
     */
    public boolean processed(UUID userId, String eventId) {
        return processed.countDocuments(new Document("_id", eventId)) > 0
                || quotas.countDocuments(byId(userId).append(EVENTS, eventId)) > 0;
    }

    /**
     * Remembers an applied event id for {@code processed-events-retention} (as long as the topics keep their
     * records), beyond the document's recent ids. Called after the effect: a crash in between leaves the id in
     * the recent ids, where a redelivery finds it.
     */
    public void markProcessed(UUID userId, String eventId) {
        Instant now = now();
        processed.replaceOne(new Document("_id", eventId),
                new Document("_id", eventId).append("userId", userId.toString()).append("at", Date.from(now))
                        .append("expiresAt", Date.from(now.plus(config.processedEventsRetention()))),
                new ReplaceOptions().upsert(true));
    }

    /** Forgets processed event ids past their retention (what a TTL index does on a real MongoDB); returns how many. */
    public long purgeProcessedEvents() {
        return processed.deleteMany(new Document("expiresAt", new Document("$lt", Date.from(now())))).getDeletedCount();
    }

    /** The video's reservations and committed original on its owner's document; null when the user has none. */
    public VideoEntries videoEntries(UUID userId, UUID videoId) {
        String video = videoId.toString();
        Document doc = quotas.find(byId(userId)).projection(new Document(RESERVATIONS, 1).append(FILES, 1)).first();
        if (doc == null) {
            return null;
        }
        List<HeldReservation> held = doc.getList(RESERVATIONS, Document.class, List.of()).stream()
                .filter(r -> video.equals(r.getString("videoId")))
                .map(r -> reservation(doc.getString("_id"), r))
                .toList();
        StoredFile file = doc.getList(FILES, Document.class, List.of()).stream()
                .filter(f -> video.equals(f.getString("videoId")))
                .findFirst()
                .map(f -> new StoredFile(videoId, f.getString("fileName"), longOf(f, "sizeBytes"),
                        f.getString("reservationId") == null ? null : UUID.fromString(f.getString("reservationId"))))
                .orElse(null);
        return new VideoEntries(held, file);
    }

    /**
     * A video was deleted: removes its file entry (the one read as {@code file}, still unchanged; or none, still
     * none), frees its bytes, counts the deletion with {@code releasedBytes} of reservations given back for it,
     * and records the event id. Null when the document changed meanwhile or applied the event already.
     */
    public QuotaState removeVideo(String eventId, UUID userId, UUID videoId, StoredFile file, long releasedBytes) {
        String video = videoId.toString();
        quotas.updateOne(byId(userId), new Document("$unset", new Document(EARLY + "." + video, "")));
        Document filter = byId(userId).append(EVENTS, new Document("$ne", eventId));
        long size = file == null ? 0 : file.sizeBytes();
        Document update = new Document("$inc", new Document(STORAGE_USED, -size).append(DELETION_COUNT, 1L)
                .append(DELETION_BYTES, size + releasedBytes));
        if (file != null) {
            filter.append(FILES, new Document("$elemMatch", new Document("videoId", video)
                    .append("reservationId", file.reservationId() == null ? null : file.reservationId().toString())
                    .append("sizeBytes", file.sizeBytes())));
            update.append("$pull", new Document(FILES, new Document("videoId", video)))
                    .append("$unset", new Document(STORED_AT + "." + video, ""));
        } else {
            filter.append(FILES + ".videoId", new Document("$ne", video));
        }
        return state(quotas.findOneAndUpdate(filter, remember(eventId, usage(update)), AFTER));
    }

    /**
     * Shared media (dedup by content), first step of a deletion whose content a live video of the same owner still
     * plays: that video's entry takes over {@code bytes} of charge ({@code sizeBytes} and {@code used} grow; the
     * deletion that follows frees the deleted video's, so used ends where it was). Remembered under {@code stepId}
     * like an event id, so a redelivery does not charge twice. False when the heir has no entry (deleted too).
     */
    public boolean chargeHeir(String stepId, UUID userId, UUID heirId, long bytes) {
        return quotas.findOneAndUpdate(byId(userId).append(FILES + ".videoId", heirId.toString()),
                remember(stepId, usage(new Document("$inc", new Document(STORAGE_USED, bytes)
                        .append(FILES + ".$.sizeBytes", bytes)))), AFTER) != null;
    }

    /**
     * A video's file was replaced (first step of {@code video.replaced}): its entry takes
     * the new original's {@code newBytes} and the new transcode's outputs (each when known), and {@code used} moves by
     * {@code usedDelta}: {@code -oldBytes} when the new upload's entry (under its media id) holds the new charge
     * already and is pulled next ({@link #forgetMedia}), {@code newBytes - oldBytes} when it has none. Records the event
     * id. Null when the entry is missing or the event was applied already.
     */
    public QuotaState replaceFile(String eventId, UUID userId, UUID videoId, long newBytes,
            long usedDelta, Long mp4Bytes, Long renditionsBytes, Long thumbnailBytes, Long storyboardBytes) {
        String video = videoId.toString();
        Document filter = byId(userId).append(EVENTS, new Document("$ne", eventId)).append(FILES + ".videoId", video);
        Document set = new Document(FILES + ".$.sizeBytes", newBytes);
        if (mp4Bytes != null) {
            set.append(FILES + ".$.mp4Bytes", mp4Bytes);
        }
        if (renditionsBytes != null) {
            set.append(FILES + ".$.renditionsBytes", renditionsBytes);
        }
        if (thumbnailBytes != null) {
            set.append(FILES + ".$.thumbnailBytes", thumbnailBytes);
        }
        set.append(FILES + ".$.storyboardBytes", storyboardBytes == null ? 0L : storyboardBytes);
        Document update = new Document("$inc", new Document(STORAGE_USED, usedDelta))
                .append("$set", set)
                .append("$unset", new Document(FILES + ".$.originalBytes", "")
                        .append(STORED_AT + "." + video + "." + THUMBNAIL, "")
                        .append(STORED_AT + "." + video + "." + ORIGINAL, "")
                        .append(STORED_AT + "." + video + "." + STORYBOARD, ""));
        return state(quotas.findOneAndUpdate(filter, remember(eventId, usage(update)), AFTER));
    }

    /** The storyboard bytes recorded on a video's entry, if any. */
    public Optional<Long> storyboardBytes(UUID userId, UUID videoId) {
        Document doc = quotas.find(byId(userId).append(FILES + ".videoId", videoId.toString()))
                .projection(Projections.elemMatch(FILES, new Document("videoId", videoId.toString()))).first();
        Document file = doc == null ? null : first(doc, FILES);
        return Optional.ofNullable(file).map(f -> f.get("storyboardBytes")).map(b -> ((Number) b).longValue());
    }

    /**
     * Second step of {@code video.replaced}: the new upload's entry under its media id goes (its charge is the video's
     * now), with what was kept for that id. Idempotent.
     */
    public void forgetMedia(UUID userId, UUID mediaId) {
        String media = mediaId.toString();
        quotas.updateOne(byId(userId), new Document("$pull", new Document(FILES, new Document("videoId", media)))
                .append("$unset", new Document(STORED_AT + "." + media, "").append(EARLY + "." + media, "")));
    }

    /**
     * Charges the original a job produced for a video that has no file entry and no reservation (an edit whose
     * reservation ran out before its result was stored): the bytes exist, so they count, limit or not.
     * Idempotent per video; returns the figures after, or null when nothing changed.
     */
    public QuotaState chargeProducedOriginal(UUID userId, UUID videoId, long bytes) {
        Document file = new Document("videoId", videoId.toString()).append("fileName", null).append("sizeBytes", bytes)
                .append("reservationId", null).append("addedAt", Date.from(now()));
        return state(quotas.findOneAndUpdate(byId(userId)
                        .append(FILES + ".videoId", new Document("$ne", videoId.toString()))
                        .append(RESERVATIONS + ".videoId", new Document("$ne", videoId.toString())),
                usage(new Document("$inc", new Document(STORAGE_USED, bytes))
                        .append("$push", new Document(FILES, file))),
                AFTER));
    }

    /**
     * Records what transcoding stored for a video beside its original (MP4, HLS renditions, thumbnail) on its
     * file entry: shown per video and in the stored total, not charged against the limit. Setting, not adding:
     * a repeated or re-run transcode leaves the figures of the last one. False when the video has no entry.
     */
    public boolean recordOutputs(UUID userId, UUID videoId, long mp4Bytes, long renditionsBytes, long thumbnailBytes) {
        boolean found = quotas.updateOne(byId(userId).append(FILES + ".videoId", videoId.toString()),
                new Document("$set", new Document(FILES + ".$.mp4Bytes", mp4Bytes)
                        .append(FILES + ".$.renditionsBytes", renditionsBytes))).getMatchedCount() > 0;
        // a thumbnail written since (video.stored) is newer than the transcode's: a replayed transcode keeps it
        quotas.updateOne(byId(userId).append(FILES + ".videoId", videoId.toString())
                        .append(storedAt(videoId, THUMBNAIL), new Document("$exists", false)),
                new Document("$set", new Document(FILES + ".$.thumbnailBytes", thumbnailBytes)));
        return found;
    }

    /**
     * Sets the size of a video's blobs of one kind ({@code thumbnail}, {@code captions}, {@code original},
     * {@code storyboard}, {@code audio}) written
     * at {@code at}, unless a size written at that time or later is recorded already (so replays and reordered
     * events change nothing). False when the video has no file entry or a newer size is recorded. The original's
     * stored size is kept apart from the charged {@code sizeBytes}: deleting an original after its transcode
     * (catalog's {@code keep-originals=false}) lowers what is stored, not what the upload was charged.
     */
    public boolean recordStored(UUID userId, UUID videoId, String kind, long bytes, Instant at) {
        String field = switch (kind) {
            case THUMBNAIL -> "thumbnailBytes";
            case CAPTIONS -> "captionsBytes";
            case ORIGINAL -> "originalBytes";
            case STORYBOARD -> "storyboardBytes";
            case AUDIO -> "audioBytes";
            default -> throw new IllegalArgumentException("No storage breakdown for kind " + kind);
        };
        String written = storedAt(videoId, kind);
        Document filter = byId(userId).append(FILES + ".videoId", videoId.toString()).append("$or", List.of(
                new Document(written, new Document("$exists", false)),
                new Document(written, new Document("$lt", Date.from(at)))));
        return quotas.updateOne(filter, new Document("$set", new Document(FILES + ".$." + field, bytes)
                .append(written, Date.from(at)))).getMatchedCount() > 0;
    }

    /**
     * Keeps a {@code video.stored} for a video that has no file entry yet but a reservation (an edit's result: its
     * entry comes when its {@code video.transcoded}, on another topic, charges the reservation) under
     * {@code early.<videoId>.<kind>}, unless a write at that time or later is kept already. True when kept (or a later
     * one is); false when the video has an entry by now (the caller records it there) or no reservation (deleted).
     */
    public boolean keepEarlyStored(UUID userId, UUID videoId, String kind, long bytes, Instant at) {
        String early = EARLY + "." + videoId + "." + kind;
        Document awaited = byId(userId).append(FILES + ".videoId", new Document("$ne", videoId.toString()))
                .append(RESERVATIONS + ".videoId", videoId.toString());
        Document filter = new Document(awaited).append("$or", List.of(
                new Document(early + ".at", new Document("$exists", false)),
                new Document(early + ".at", new Document("$lt", Date.from(at)))));
        if (quotas.updateOne(filter, new Document("$set", new Document(early,
                new Document("bytes", bytes).append("at", Date.from(at))))).getMatchedCount() > 0) {
            return true;
        }
        return quotas.countDocuments(awaited) > 0;
    }

    /**
     * Moves the sizes kept by {@link #keepEarlyStored} onto the video's file entry, now that it exists (each with the
     * rule of {@link #recordStored}), and forgets them.
     */
    public void applyEarlyStored(UUID userId, UUID videoId) {
        String early = EARLY + "." + videoId;
        Document doc = quotas.find(byId(userId).append(early, new Document("$exists", true)))
                .projection(new Document(early, 1)).first();
        if (doc == null) {
            return;
        }
        Document kinds = doc.get(EARLY, Document.class).get(videoId.toString(), Document.class);
        for (String kind : kinds.keySet()) {
            Document kept = kinds.get(kind, Document.class);
            recordStored(userId, videoId, kind, longOf(kept, "bytes"), kept.getDate("at").toInstant());
        }
        quotas.updateOne(byId(userId), new Document("$unset", new Document(early, "")));
    }

    /** When a video's blob of a kind was last written outside a transcode: {@code storedAt.<videoId>.<kind>}. */
    private static String storedAt(UUID videoId, String kind) {
        return STORED_AT + "." + videoId + "." + kind;
    }

    // ---- alerts

    /** The key of an alert's armed flag: {@code storage80}, {@code bandwidth100}, ... */
    public static String alertKey(String resource, int threshold) {
        return resource.toLowerCase() + threshold;
    }

    /**
     * Records the alert if its flag is still armed and its threshold still reached in the stored figures (and,
     * for bandwidth, the document is still in the period {@code period}): disarms the flag and appends the alert
     * in one update, so concurrent crossings record it once. True when it was recorded.
     */
    public boolean fireAlert(PendingAlert alert, Instant period) {
        String key = ARMED + "." + alertKey(alert.resource(), alert.threshold());
        Document filter = alertFilter(alert.userId(), period).append(key, new Document("$ne", false))
                .append("$expr", reached(alert.resource(), alert.threshold()));
        Document entry = new Document("id", alert.id().toString())
                .append("resource", alert.resource())
                .append("threshold", alert.threshold())
                .append("usedBytes", alert.usedBytes())
                .append("limitBytes", alert.limitBytes())
                .append("percentUsed", alert.percentUsed())
                .append("at", Date.from(alert.at()));
        if (alert.traceparent() != null) {
            // the alert's event continues the trace of the request or event that crossed the threshold
            entry.append("traceparent", alert.traceparent());
        }
        return quotas.updateOne(filter, new Document("$set", new Document(key, false))
                .append("$push", new Document(PENDING_ALERTS, entry))).getModifiedCount() == 1;
    }

    /** Arms the alert's flag again if it is disarmed and the stored figures are below its threshold. */
    public void rearmAlert(UUID userId, String resource, int threshold, Instant period) {
        String key = ARMED + "." + alertKey(resource, threshold);
        Document filter = alertFilter(userId, period).append(key, false)
                .append("$expr", new Document("$not", List.of(reached(resource, threshold))));
        quotas.updateOne(filter, new Document("$set", new Document(key, true)));
    }

    /** Clears the dirty mark, unless a newer usage update happened since {@code state} was read. */
    public void clearDirty(QuotaState state) {
        quotas.updateOne(byId(state.userId()).append(SEQ, state.seq()),
                new Document("$unset", new Document(ALERTS_DIRTY, "")));
    }

    /** Figures of documents whose alert evaluation may not have run after their last usage update. */
    public List<QuotaState> dirty(int limit) {
        return quotas.find(new Document(ALERTS_DIRTY, true)).projection(STATE).limit(limit)
                .map(QuotaRepository::state).into(new ArrayList<>());
    }

    /** Alerts waiting for Kafka, from at most {@code documents} users. */
    public List<PendingAlert> pendingAlerts(int documents) {
        return alertsOf(quotas.find(new Document(PENDING_ALERTS + ".id", new Document("$exists", true)))
                .projection(new Document(PENDING_ALERTS, 1)).limit(documents));
    }

    /** The user's alerts waiting for Kafka. */
    public List<PendingAlert> pendingAlerts(UUID userId) {
        return alertsOf(quotas.find(byId(userId)).projection(new Document(PENDING_ALERTS, 1)));
    }

    /** Removes an alert Kafka acknowledged. */
    public void pullAlert(UUID userId, UUID alertId) {
        quotas.updateOne(byId(userId),
                new Document("$pull", new Document(PENDING_ALERTS, new Document("id", alertId.toString()))));
    }

    /** How many reservations the user holds. */
    public int reservationCount(UUID userId) {
        Document doc = quotas.find(byId(userId)).projection(new Document(RESERVATIONS, 1)).first();
        return doc == null ? 0 : doc.getList(RESERVATIONS, Document.class, List.of()).size();
    }

    // ---- mapping

    private Document defaults(UUID userId) {
        Instant now = now();
        return byId(userId)
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

    private QuotaView view(UUID userId, Document doc) {
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
                        longOf(f, "sizeBytes"), f.get("originalBytes") == null ? longOf(f, "sizeBytes")
                                : longOf(f, "originalBytes"), longOf(f, "mp4Bytes"), longOf(f, "renditionsBytes"),
                        longOf(f, "thumbnailBytes"), longOf(f, "captionsBytes"), longOf(f, "storyboardBytes"),
                        longOf(f, "audioBytes")))
                .toList();
        QuotaView.Storage storage = state(d).storage();
        return new QuotaView(storage.withStored(files.stream().mapToLong(QuotaView.File::storedBytes).sum()),
                new QuotaView.Bandwidth(bandwidthLimit, bandwidthUsed, period, QuotaMath.periodEnd(period),
                        bandwidthPercent, bandwidthPercent >= QuotaMath.ALERT_PERCENT),
                new QuotaView.Deletions(longOf(deletions, "count"), longOf(deletions, "bytes")),
                files);
    }

    private static QuotaState state(Document doc) {
        if (doc == null) {
            return null;
        }
        Document storage = doc.get("storage", Document.class);
        Document bandwidth = doc.get("bandwidth", Document.class);
        Map<String, Boolean> armed = new HashMap<>();
        if (doc.get(ARMED) instanceof Document flags) {
            flags.forEach((key, value) -> armed.put(key, !Boolean.FALSE.equals(value)));
        }
        return new QuotaState(UUID.fromString(doc.getString("_id")), longOf(storage, "limit"), longOf(storage, "used"),
                longOf(storage, "reserved"), longOf(bandwidth, "limit"), longOf(bandwidth, "used"),
                bandwidth.getDate("periodStart").toInstant(), Map.copyOf(armed), longOf(doc, SEQ),
                Boolean.TRUE.equals(doc.getBoolean(ALERTS_DIRTY)));
    }

    private static HeldReservation reservation(String userId, Document entry) {
        return new HeldReservation(UUID.fromString(entry.getString("id")), UUID.fromString(userId),
                longOf(entry, "bytes"), UUID.fromString(entry.getString("videoId")), entry.getString("fileName"),
                entry.getDate("expiresAt") == null ? null : entry.getDate("expiresAt").toInstant());
    }

    private static List<PendingAlert> alertsOf(Iterable<Document> docs) {
        List<PendingAlert> alerts = new ArrayList<>();
        for (Document doc : docs) {
            UUID userId = UUID.fromString(doc.getString("_id"));
            for (Document a : doc.getList(PENDING_ALERTS, Document.class, List.of())) {
                alerts.add(new PendingAlert(UUID.fromString(a.getString("id")), userId, a.getString("resource"),
                        a.getInteger("threshold"), longOf(a, "usedBytes"), longOf(a, "limitBytes"),
                        ((Number) a.get("percentUsed")).doubleValue(), a.getDate("at").toInstant(),
                        a.getString("traceparent")));
            }
        }
        return alerts;
    }

    private static Document byId(UUID userId) {
        return new Document("_id", userId.toString());
    }

    private static Document byId(String userId) {
        return new Document("_id", userId);
    }

    /** Every usage update bumps {@code seq} and marks the document for the alert reconciliation. */
    private static Document usage(Document update) {
        Document result = new Document(update);
        Document inc = new Document(result.get("$inc", Document.class) == null ? new Document()
                : result.get("$inc", Document.class));
        inc.append(SEQ, 1L);
        result.put("$inc", inc);
        Document set = new Document(result.get("$set", Document.class) == null ? new Document()
                : result.get("$set", Document.class));
        set.append(ALERTS_DIRTY, true);
        result.put("$set", set);
        return result;
    }

    /** Adds "record the applied CloudEvent id, keeping the last {@code processed-events-kept}" to an update. */
    private Document remember(String eventId, Document update) {
        Document result = new Document(update);
        result.put("$push", new Document(EVENTS,
                new Document("$each", List.of(eventId)).append("$slice", -config.processedEventsKept())));
        return result;
    }

    /** {@code $expr}: {@code bytes} more still fit the storage limit. */
    private static Document fits(long bytes) {
        return new Document("$lte", List.of(
                new Document("$add", List.of("$" + STORAGE_USED, "$" + STORAGE_RESERVED, bytes)),
                "$" + STORAGE_LIMIT));
    }

    /** {@code $expr}: the resource's usage is at or above {@code threshold} % of its limit. */
    private static Document reached(String resource, int threshold) {
        boolean storage = "STORAGE".equals(resource);
        Object usage = storage ? new Document("$add", List.of("$" + STORAGE_USED, "$" + STORAGE_RESERVED))
                : "$" + BANDWIDTH_USED;
        String limitField = storage ? STORAGE_LIMIT : BANDWIDTH_LIMIT;
        return new Document("$and", List.of(
                new Document("$gt", List.of(usage, 0L)),
                new Document("$gte", List.of(new Document("$multiply", List.of(usage, 100L)),
                        new Document("$multiply", List.of("$" + limitField, (long) threshold))))));
    }

    private static Document alertFilter(UUID userId, Instant period) {
        Document filter = byId(userId);
        if (period != null) {
            filter.append(BANDWIDTH_PERIOD, Date.from(period));
        }
        return filter;
    }

    private static Document first(Document doc, String array) {
        List<Document> entries = doc.getList(array, Document.class, List.of());
        return entries.isEmpty() ? null : entries.get(0);
    }

    private static long longOf(Document doc, String key) {
        Object value = doc == null ? null : doc.get(key);
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
