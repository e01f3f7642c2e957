package dev.clipflow.quota.usage;

import com.mongodb.client.MongoDatabase;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UsageBandwidth;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.events.VideoFailed;
import dev.clipflow.contracts.events.VideoReplaced;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.support.Alerts;
import dev.clipflow.quota.support.Api;
import dev.clipflow.quota.support.KafkaTestClient;
import dev.clipflow.quota.support.TestClock;
import dev.clipflow.quota.usage.service.QuotaService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.quota.support.Api.commit;
import static dev.clipflow.quota.support.Api.me;
import static dev.clipflow.quota.support.Api.reservation;
import static dev.clipflow.quota.support.Api.reserve;
import static dev.clipflow.quota.support.Api.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class QuotaEventsTest {

    private static final String SOURCE = "/clipflow/test";

    @Inject
    TestClock clock;

    @Inject
    QuotaRepository repository;

    @Inject
    QuotaService quotas;

    @Inject
    MongoDatabase database;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void deletedVideoFreesItsStorageOnceAndIsCounted() {
        UUID user = UUID.randomUUID();
        Map<String, Object> kept = uploaded(user, 3_000_000);
        Map<String, Object> gone = uploaded(user, 5_000_000);
        UUID videoId = UUID.fromString((String) gone.get("videoId"));
        CloudEvent<VideoDeleted> event = CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, videoId.toString(),
                new VideoDeleted(videoId, user, "clip.mp4", 5_000_000, user));
        KafkaTestClient.send(Topics.VIDEO_DELETED, event);
        KafkaTestClient.send(Topics.VIDEO_DELETED, event);
        await().untilAsserted(() -> me(user).then()
                .body("storage.usedBytes", equalTo(3_000_000))
                .body("files", hasSize(1))
                .body("files[0].videoId", equalTo(kept.get("videoId")))
                .body("deletions.count", equalTo(1))
                .body("deletions.bytes", equalTo(5_000_000)));
        // Another event of the same video (same key, so after the duplicate): counted, frees nothing more.
        KafkaTestClient.send(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, videoId.toString(),
                new VideoDeleted(videoId, user, "clip.mp4", 5_000_000, user)));
        await().untilAsserted(() -> me(user).then().body("deletions.count", equalTo(2)));
        me(user).then().body("deletions.bytes", equalTo(5_000_000)).body("storage.usedBytes", equalTo(3_000_000))
                .body("files", hasSize(1));
    }

    @Test
    void sharedContentStaysChargedOnceWhicheverOfItsVideosIsDeleted() {
        UUID user = UUID.randomUUID();
        Map<String, Object> first = uploaded(user, 6_000_000);
        // the same file again (dedup): upload-service commits its reservation with 0 bytes
        Map<String, Object> again = reservation(user, 6_000_000);
        reserve(service(), again).then().statusCode(201);
        commit(service(), again.get("reservationId"), Map.of("sizeBytes", 0)).then().statusCode(200);
        me(user).then().body("storage.usedBytes", equalTo(6_000_000)).body("files", hasSize(2));
        UUID firstId = UUID.fromString((String) first.get("videoId"));
        UUID againId = UUID.fromString((String) again.get("videoId"));
        // the first is deleted while the second still plays its media: the charge moves, used stays (once per event)
        CloudEvent<VideoDeleted> deleted = CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, firstId.toString(),
                new VideoDeleted(firstId, user, "clip.mp4", 6_000_000, user, againId));
        KafkaTestClient.send(Topics.VIDEO_DELETED, deleted);
        KafkaTestClient.send(Topics.VIDEO_DELETED, deleted);
        await().untilAsserted(() -> me(user).then().body("deletions.count", equalTo(1))
                .body("storage.usedBytes", equalTo(6_000_000))
                .body("files", hasSize(1))
                .body("files[0].videoId", equalTo(againId.toString()))
                .body("files[0].sizeBytes", equalTo(6_000_000)));
        // the last one sharing it goes: everything is freed
        KafkaTestClient.send(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, againId.toString(),
                new VideoDeleted(againId, user, "clip.mp4", 6_000_000, user)));
        await().untilAsserted(() -> me(user).then().body("deletions.count", equalTo(2))
                .body("storage.usedBytes", equalTo(0)).body("files", empty()));
    }

    @Test
    void aReplacedFileIsChargedWithTheNewSizeInsteadOfTheOld() {
        UUID user = UUID.randomUUID();
        Map<String, Object> video = uploaded(user, 3_000_000);
        UUID videoId = UUID.fromString((String) video.get("videoId"));
        // the new file's upload: its own session and reservation, under a new media id
        Map<String, Object> replacement = uploaded(user, 7_000_000);
        UUID media = UUID.fromString((String) replacement.get("videoId"));
        me(user).then().body("storage.usedBytes", equalTo(10_000_000)).body("files", hasSize(2));
        CloudEvent<VideoReplaced> replaced = CloudEvent.of(Topics.VIDEO_REPLACED, SOURCE, videoId.toString(),
                new VideoReplaced(videoId, user, videoId, media, 3_000_000, 7_000_000, 1_000_000L, 2_000_000L, 5_000L,
                        Instant.now()));
        KafkaTestClient.send(Topics.VIDEO_REPLACED, replaced);
        KafkaTestClient.send(Topics.VIDEO_REPLACED, replaced); // redelivered: no second move
        await().untilAsserted(() -> me(user).then()
                .body("storage.usedBytes", equalTo(7_000_000))
                .body("files", hasSize(1))
                .body("files[0].videoId", equalTo(videoId.toString()))
                .body("files[0].sizeBytes", equalTo(7_000_000))
                .body("files[0].mp4Bytes", equalTo(1_000_000))
                .body("files[0].renditionsBytes", equalTo(2_000_000))
                .body("files[0].thumbnailBytes", equalTo(5_000)));
        // deleting the video afterwards frees the new size
        KafkaTestClient.send(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, videoId.toString(),
                new VideoDeleted(videoId, user, "clip.mp4", 7_000_000, user)));
        await().untilAsserted(() -> me(user).then().body("storage.usedBytes", equalTo(0)).body("files", empty()));
    }

    @Test
    void deletingAVideoStillUploadingReleasesItsReservation() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 4_000_000);
        reserve(service(), body).then().statusCode(201);
        UUID videoId = UUID.fromString((String) body.get("videoId"));
        KafkaTestClient.send(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, SOURCE, videoId.toString(),
                new VideoDeleted(videoId, user, null, 0, null)));
        await().untilAsserted(() -> me(user).then().body("storage.reservedBytes", equalTo(0))
                .body("deletions.count", equalTo(1)).body("deletions.bytes", equalTo(4_000_000)));
        commit(service(), body.get("reservationId"), null).then().statusCode(404);
    }

    @Test
    void bandwidthIsAddedOncePerEvent() {
        UUID user = UUID.randomUUID();
        CloudEvent<UsageBandwidth> event = bandwidthEvent(user, 1000);
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, event);
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, event);
        bandwidth(user, 500);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(1500)));
        bandwidth(user, 1);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(1501)));
    }

    /**
     * A replay must be recognised for as long as the topic can hand the event out again (its retention), not only
     * among the user's last 1,000 events: a busy user's bandwidth events (one per served segment batch) pushed
     * the id out of the window within minutes, and a replay from an old offset counted the bytes twice.
     */
    @Test
    void anEventReplayedAfterMoreThanAThousandNewerOnesOfTheUserIsStillIgnored() {
        UUID user = UUID.randomUUID();
        CloudEvent<UsageBandwidth> early = bandwidthEvent(user, 7);
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, early);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(7)));
        for (int i = 0; i < 1_001; i++) {
            assertThat(quotas.recordBandwidth(UUID.randomUUID().toString(), user, 1)).isTrue();
        }

        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, early); // the replay
        bandwidth(user, 100_000); // same key: consumed after the replay
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(7 + 1_001 + 100_000)));
    }

    /** Applied ids are kept as long as a replay is possible, then forgotten: the collection does not grow for ever. */
    @Test
    void processedEventIdsAreForgottenOnlyAfterTheirRetention() {
        UUID user = UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        assertThat(quotas.recordBandwidth(id, user, 5)).isTrue();
        var processed = database.getCollection("processed_events");

        clock.advance(Duration.ofDays(29));
        repository.purgeProcessedEvents();
        assertThat(processed.countDocuments(new Document("_id", id))).as("within the retention").isOne();
        clock.advance(Duration.ofDays(2));
        repository.purgeProcessedEvents();
        assertThat(processed.countDocuments(new Document("_id", id))).as("past the retention").isZero();
    }

    @Test
    void bandwidthStartsFromZeroInANewMonthAndAlertsAgain() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 1_000_000, 1000);
        clock.set(Instant.parse("2031-01-20T10:00:00Z"));
        bandwidth(user, 850);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(850))
                .body("bandwidth.periodStart", equalTo("2031-01-01T00:00:00Z"))
                .body("bandwidth.periodEnd", equalTo("2031-02-01T00:00:00Z"))
                .body("bandwidth.alert", equalTo(true)));
        bandwidth(user, 100);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(950)));

        clock.set(Instant.parse("2031-02-01T00:00:01Z"));
        me(user).then().body("bandwidth.usedBytes", equalTo(0)).body("bandwidth.alert", equalTo(false))
                .body("bandwidth.periodStart", equalTo("2031-02-01T00:00:00Z"));
        bandwidth(user, 820);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(820))
                .body("bandwidth.periodStart", equalTo("2031-02-01T00:00:00Z"))
                .body("bandwidth.periodEnd", equalTo("2031-03-01T00:00:00Z")));
        bandwidth(user, 300);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(1120))
                .body("bandwidth.percentUsed", equalTo(112.0f)));
        assertThat(Alerts.summary(repository, user))
                .containsExactly("BANDWIDTH 80", "BANDWIDTH 80", "BANDWIDTH 100");
    }

    @Test
    void deletedUserLosesTheQuotaAndLateEventsDoNotBringItBack() {
        UUID user = UUID.randomUUID();
        uploaded(user, 2_000_000);
        Api.setLimits(user, 9_000_000, 1000);
        KafkaTestClient.send(Topics.USER_DELETED, CloudEvent.of(Topics.USER_DELETED, SOURCE, user.toString(),
                new UserDeleted(user, "gone@example.com", null)));
        await().untilAsserted(() -> assertThat(repository.exists(user)).isFalse());
        bandwidth(user, 700);
        UUID marker = UUID.randomUUID();
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, user.toString(), bandwidthEvent(marker, 1));
        await().untilAsserted(() -> me(marker).then().body("bandwidth.usedBytes", equalTo(1)));
        assertThat(repository.exists(user)).isFalse();
        me(user).then().statusCode(200).body("storage.usedBytes", equalTo(0)).body("files", empty())
                .body("storage.limitBytes", equalTo(52_428_800));
        reserve(service(), reservation(user, 1000)).then().statusCode(410)
                .contentType("application/problem+json").body("code", equalTo("quota.user_deleted"));
        assertThat(repository.exists(user)).isFalse();
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        UUID user = UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, user.toString(), "not json " + marker);
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, user.toString(), """
                {"specversion":"1.0","id":"%s","source":"/t","type":"clipflow.usage.bandwidth",
                 "data":{"ownerId":"%s","bytes":-5,"kind":"SERVED"}}""".formatted(marker, user));
        bandwidth(user, 42);
        await().untilAsserted(() -> me(user).then().body("bandwidth.usedBytes", equalTo(42)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                KafkaTestClient.readAll(Topics.dlq(Topics.USAGE_BANDWIDTH)).stream()
                        .filter(r -> r.value().contains(marker)).count()).isEqualTo(2));
    }

    /** Nothing counted what transcoding stored beside an original: each video now shows all its bytes. */
    @Test
    void transcodedOutputsAreShownPerVideoAndInTheStoredTotal() {
        UUID user = UUID.randomUUID();
        UUID videoId = UUID.fromString((String) uploaded(user, 3_000_000).get("videoId"));
        CloudEvent<VideoTranscoded> event = transcoded(videoId, user, 1_000_000, 1_800_000, 50_000, null);
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, event);
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, event);
        await().untilAsserted(() -> me(user).then()
                .body("files", hasSize(1))
                .body("files[0].sizeBytes", equalTo(3_000_000))
                .body("files[0].mp4Bytes", equalTo(1_000_000))
                .body("files[0].renditionsBytes", equalTo(750_000))
                .body("files[0].thumbnailBytes", equalTo(50_000))
                .body("files[0].storedBytes", equalTo(4_800_000))
                .body("storage.storedBytes", equalTo(4_800_000))
                .body("storage.usedBytes", equalTo(3_000_000)));
    }

    /**
     * A thumbnail written again (the owner's own image, a THUMBNAIL job) changes the video's bytes: the latest
     * write wins, whatever order the events arrive in, and a replayed transcode does not bring the old size back.
     */
    @Test
    void aThumbnailWrittenAgainReplacesItsSizeAndOnlyTheLatestWriteCounts() {
        UUID user = UUID.randomUUID();
        UUID videoId = UUID.fromString((String) uploaded(user, 3_000_000).get("videoId"));
        CloudEvent<VideoTranscoded> transcoded = transcoded(videoId, user, 1_000_000, 1_800_000, 50_000, null);
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, transcoded);
        await().untilAsserted(() -> me(user).then().body("files[0].thumbnailBytes", equalTo(50_000)));
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        CloudEvent<VideoStored> latest = stored(videoId, user, 12_345, at);
        KafkaTestClient.send(Topics.VIDEO_STORED, latest);
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, 99_999, at.minusSeconds(60))); // late, older
        KafkaTestClient.send(Topics.VIDEO_STORED, latest); // redelivered
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, transcoded); // replayed
        // then a second video's thumbnail on the same partition (keyed by the first): once it shows, every
        // event before it was applied
        UUID second = UUID.fromString((String) uploaded(user, 1_000).get("videoId"));
        KafkaTestClient.send(Topics.VIDEO_STORED, videoId.toString(), stored(second, user, 777, at));
        String first = "files.find { it.videoId == '" + videoId + "' }.";
        await().untilAsserted(() -> me(user).then()
                .body("files.find { it.videoId == '" + second + "' }.thumbnailBytes", equalTo(777)));
        me(user).then()
                .body(first + "thumbnailBytes", equalTo(12_345))
                .body(first + "storedBytes", equalTo(3_000_000 + 1_000_000 + 750_000 + 12_345))
                .body("storage.storedBytes", equalTo(3_000_000 + 1_000_000 + 750_000 + 12_345 + 1_000 + 777));
    }

    private static CloudEvent<VideoStored> stored(UUID videoId, UUID user, long bytes, Instant at) {
        return stored(videoId, user, VideoStored.THUMBNAIL, bytes, at);
    }

    private static CloudEvent<VideoStored> stored(UUID videoId, UUID user, String kind, long bytes, Instant at) {
        return CloudEvent.of(Topics.VIDEO_STORED, SOURCE, videoId.toString(),
                new VideoStored(videoId, user, kind, bytes, at));
    }

    /**
     * Captions (all languages together), the storyboard (sprite and WebVTT, sent by the transcode) and the
     * audio-only download (likewise) count in the stored bytes; an original deleted after its transcode (no
     * originals kept) leaves the stored bytes but not the charged upload; each kind keeps its own latest write.
     */
    @Test
    void captionsAndADeletedOriginalChangeTheStoredBytesButNotTheCharge() {
        UUID user = UUID.randomUUID();
        UUID videoId = UUID.fromString((String) uploaded(user, 3_000_000).get("videoId"));
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, transcoded(videoId, user, 1_000_000, 1_800_000, 50_000, null));
        await().untilAsserted(() -> me(user).then().body("files[0].mp4Bytes", equalTo(1_000_000)));
        me(user).then().body("files[0].originalBytes", equalTo(3_000_000)).body("files[0].captionsBytes", equalTo(0))
                .body("files[0].storyboardBytes", equalTo(0)).body("files[0].audioBytes", equalTo(0));
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.STORYBOARD, 12_345, at));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.CAPTIONS, 4_321, at));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.CAPTIONS, 9_999, at.minusSeconds(1)));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.ORIGINAL, 0, at.minusSeconds(5)));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.AUDIO, 96_000, at.minusSeconds(9)));
        await().untilAsserted(() -> me(user).then()
                .body("files[0].originalBytes", equalTo(0))
                .body("files[0].captionsBytes", equalTo(4_321))
                .body("files[0].storyboardBytes", equalTo(12_345))
                .body("files[0].audioBytes", equalTo(96_000))
                .body("files[0].sizeBytes", equalTo(3_000_000))
                .body("files[0].storedBytes", equalTo(1_000_000 + 750_000 + 50_000 + 4_321 + 12_345 + 96_000))
                .body("storage.storedBytes", equalTo(1_000_000 + 750_000 + 50_000 + 4_321 + 12_345 + 96_000))
                .body("storage.usedBytes", equalTo(3_000_000)));
    }

    /** An edit's result reserved nothing; now its reservation is charged with the real size of its original. */
    @Test
    void anEditsReservationIsChargedWithTheRealSizeOnceItsResultIsTranscoded() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 2_000_000);
        reserve(service(), body).then().statusCode(201);
        UUID videoId = UUID.fromString((String) body.get("videoId"));
        me(user).then().body("storage.reservedBytes", equalTo(2_000_000));
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, transcoded(videoId, user, 900_000, 1_500_000, 40_000, 1_200_000L));
        await().untilAsserted(() -> me(user).then()
                .body("storage.reservedBytes", equalTo(0))
                .body("storage.usedBytes", equalTo(1_200_000))
                .body("files", hasSize(1))
                .body("files[0].sizeBytes", equalTo(1_200_000))
                .body("files[0].storedBytes", equalTo(2_700_000)));
    }

    /**
     * An edit's result has no file entry until its {@code video.transcoded}; the storyboard's and the audio-only
     * download's {@code video.stored} come on another topic and may come first: their sizes are kept and counted
     * once the entry exists.
     */
    @Test
    void aStoryboardStoredBeforeTheEditsResultIsTranscodedStillCounts() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 2_000_000);
        reserve(service(), body).then().statusCode(201);
        UUID videoId = UUID.fromString((String) body.get("videoId"));
        Instant at = Instant.now();
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.STORYBOARD, 2_612, at));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.STORYBOARD, 1_111, at.minusSeconds(1)));
        KafkaTestClient.send(Topics.VIDEO_STORED, stored(videoId, user, VideoStored.AUDIO, 48_000, at));
        // same key, same partition: once this dead letter is out, both video.stored events were consumed
        String marker = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.VIDEO_STORED, videoId.toString(), "not json " + marker);
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaTestClient.readAll(Topics.dlq(Topics.VIDEO_STORED))
                .stream().anyMatch(r -> r.value().contains(marker)));
        KafkaTestClient.send(Topics.VIDEO_TRANSCODED, transcoded(videoId, user, 900_000, 1_500_000, 40_000, 1_200_000L));
        await().untilAsserted(() -> me(user).then()
                .body("files", hasSize(1))
                .body("files[0].storyboardBytes", equalTo(2_612))
                .body("files[0].audioBytes", equalTo(48_000))
                .body("files[0].storedBytes", equalTo(1_200_000 + 1_500_000 + 2_612 + 48_000)));
    }

    @Test
    void aFailedEditGivesItsReservationBack() {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = reservation(user, 2_000_000);
        reserve(service(), body).then().statusCode(201);
        UUID videoId = UUID.fromString((String) body.get("videoId"));
        KafkaTestClient.send(Topics.VIDEO_FAILED, CloudEvent.of(Topics.VIDEO_FAILED, SOURCE, videoId.toString(),
                new VideoFailed(UUID.randomUUID(), videoId, user, "TRANSCODE", "The file is not a readable video.")));
        await().untilAsserted(() -> me(user).then()
                .body("storage.reservedBytes", equalTo(0))
                .body("storage.usedBytes", equalTo(0))
                .body("files", empty()));
    }

    private static CloudEvent<VideoTranscoded> transcoded(UUID videoId, UUID user, long mp4, long total,
            long thumbnail, Long original) {
        return CloudEvent.of(Topics.VIDEO_TRANSCODED, SOURCE, videoId.toString(), new VideoTranscoded(UUID.randomUUID(),
                videoId, user, 3.0, 320, 240, "h264", "aac", "videos/" + videoId + "/video.mp4", mp4,
                "videos/" + videoId + "/hls/master.m3u8", "videos/" + videoId + "/thumbnail.jpg",
                java.util.List.of(new VideoTranscoded.Rendition("240p", 320, 240, 400_000,
                        "videos/" + videoId + "/hls/240p/index.m3u8")), total, thumbnail, original));
    }

    private Map<String, Object> uploaded(UUID user, long bytes) {
        Map<String, Object> body = reservation(user, bytes);
        reserve(service(), body).then().statusCode(201);
        commit(service(), body.get("reservationId"), null).then().statusCode(200);
        return body;
    }

    private static void bandwidth(UUID user, long bytes) {
        KafkaTestClient.send(Topics.USAGE_BANDWIDTH, bandwidthEvent(user, bytes));
    }

    private static CloudEvent<UsageBandwidth> bandwidthEvent(UUID user, long bytes) {
        Instant now = Instant.now();
        return CloudEvent.of(Topics.USAGE_BANDWIDTH, SOURCE, user.toString(),
                new UsageBandwidth(user, bytes, "SERVED", now.minusSeconds(10), now));
    }
}
