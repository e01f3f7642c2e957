package dev.clipflow.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventSchemasTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final UUID VIDEO = UUID.randomUUID();
    private static final UUID OWNER = UUID.randomUUID();
    private static final UUID JOB = UUID.randomUUID();

    /** One realistic sample per topic, built from the Java records producers use. */
    static Stream<Map.Entry<String, Object>> samples() {
        Instant now = Instant.parse("2026-11-22T10:15:30Z");
        return Stream.of(
                Map.entry(Topics.VIDEO_UPLOADED, new VideoUploaded(VIDEO, OWNER, UUID.randomUUID(), "cat.mp4",
                        "video/mp4", 1_048_576, "a".repeat(64), "originals/" + VIDEO + "/source", "Cat",
                        "A cat", "Vlog", now)),
                Map.entry(Topics.TRANSCODE_REQUESTS, new TranscodeRequest(null, TranscodeRequest.Type.TRIM, VIDEO,
                        List.of(UUID.randomUUID()), OWNER, Map.of("startSeconds", 1.5, "endSeconds", 4))),
                Map.entry(Topics.TRANSCODE_PROGRESS, new TranscodeProgress(JOB, VIDEO, OWNER, "RUNNING", 42, 17)),
                Map.entry(Topics.VIDEO_TRANSCODED, new VideoTranscoded(JOB, VIDEO, OWNER, 12.5, 1920, 1080, "h264",
                        "aac", "videos/" + VIDEO + "/video.mp4", 5_000_000, "videos/" + VIDEO + "/hls/master.m3u8",
                        "videos/" + VIDEO + "/thumbnail.jpg",
                        List.of(new VideoTranscoded.Rendition("720p", 1280, 720, 2_800_000,
                                "videos/" + VIDEO + "/hls/720p/index.m3u8")), 9_000_000)),
                Map.entry(Topics.VIDEO_FAILED, new VideoFailed(JOB, VIDEO, OWNER, "UPLOAD", "Not a video file")),
                Map.entry(Topics.VIDEO_DELETED, new VideoDeleted(VIDEO, OWNER, "cat.mp4", 1_048_576, OWNER)),
                Map.entry(Topics.USER_DELETED, new UserDeleted(OWNER, "a@example.com", UUID.randomUUID())),
                Map.entry(Topics.USAGE_BANDWIDTH, new UsageBandwidth(OWNER, 65_536, "SERVED", now, now.plusSeconds(5))),
                Map.entry(Topics.QUOTA_ALERTS, new QuotaAlert(OWNER, "STORAGE", 80, 41_943_040, 52_428_800, 80.0)),
                Map.entry(Topics.VIDEO_RENDITION_READY, new VideoRenditionReady(JOB, VIDEO, OWNER,
                        new VideoRenditionReady.Rendition("480p", 854, 480, 1_400_000, 1_100_000,
                                "avc1.64001e,mp4a.40.2", 30.0, "videos/" + VIDEO + "/hls/480p/index.m3u8"),
                        List.of("480p"), List.of("480p", "720p", "1080p"))),
                Map.entry(Topics.WEBHOOK_DISABLED, new WebhookDisabled(OWNER, UUID.randomUUID(),
                        "https://hooks.example.com/clipflow", "HTTP 500 for 3 days", now)),
                Map.entry(Topics.VIDEO_STORED, new VideoStored(VIDEO, OWNER, VideoStored.THUMBNAIL, 12_345, now)),
                Map.entry(Topics.VIDEO_REPLACED, new VideoReplaced(VIDEO, OWNER, VIDEO, UUID.randomUUID(), 1_048_576,
                        2_097_152, 5_000_000L, 9_000_000L, 12_345L, now)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTopicHasASchemaThatAcceptsItsRecord(Map.Entry<String, Object> sample) {
        CloudEvent<Object> event = CloudEvent.of(sample.getKey(), "/clipflow/test", VIDEO.toString(), sample.getValue());
        JsonNode json = JSON.valueToTree(event);

        assertThat(EventSchemas.validateEvent(sample.getKey(), json)).isEmpty();
        assertThat(json.get("type").asText()).isEqualTo("clipflow." + sample.getKey());
        assertThat(json.get("time").asText()).isEqualTo(event.time().toString());
    }

    @Test
    void topicsCoverTheContract() {
        assertThat(samples().map(Map.Entry::getKey)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void eventsRoundTripThroughJson() throws Exception {
        var event = CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service", VIDEO.toString(),
                new VideoDeleted(VIDEO, OWNER, "a.mp4", 10, OWNER));
        String text = JSON.writeValueAsString(event);
        var back = JSON.readValue(text, JSON.getTypeFactory().constructParametricType(CloudEvent.class, VideoDeleted.class));

        assertThat(back).isEqualTo(event);
    }

    @Test
    void missingRequiredFieldIsRejected() {
        ObjectNode data = JSON.valueToTree(new VideoFailed(JOB, VIDEO, OWNER, "TRANSCODE", "boom"));
        data.remove("reason");

        assertThat(EventSchemas.validateData(Topics.VIDEO_FAILED, data)).anyMatch(m -> m.contains("reason"));
    }

    @Test
    void malformedUuidIsRejected() {
        ObjectNode data = JSON.valueToTree(new VideoDeleted(VIDEO, OWNER, "a.mp4", 10, null));
        data.put("videoId", "not-a-uuid");

        assertThat(EventSchemas.validateData(Topics.VIDEO_DELETED, data)).isNotEmpty();
    }

    @Test
    void trimWithoutTimeRangeIsRejected() {
        ObjectNode data = JSON.valueToTree(new TranscodeRequest(null, TranscodeRequest.Type.TRIM, VIDEO,
                List.of(UUID.randomUUID()), OWNER, Map.of("title", "cut")));

        assertThat(EventSchemas.validateData(Topics.TRANSCODE_REQUESTS, data)).isNotEmpty();
    }

    @Test
    void mergeOfOneVideoIsRejected() {
        ObjectNode data = JSON.valueToTree(new TranscodeRequest(null, TranscodeRequest.Type.MERGE, VIDEO,
                List.of(UUID.randomUUID()), OWNER, null));

        assertThat(EventSchemas.validateData(Topics.TRANSCODE_REQUESTS, data)).isNotEmpty();
    }

    @Test
    void negativeProgressIsRejected() {
        ObjectNode data = JSON.valueToTree(new TranscodeProgress(JOB, VIDEO, OWNER, "RUNNING", -1));

        assertThat(EventSchemas.validateData(Topics.TRANSCODE_PROGRESS, data)).isNotEmpty();
    }

    @Test
    void eventTypeMustMatchTheTopic() {
        var event = CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/test", VIDEO.toString(),
                new VideoDeleted(VIDEO, OWNER, "a.mp4", 10, null));

        assertThat(EventSchemas.validateEvent(Topics.USER_DELETED, JSON.valueToTree(event)))
                .anyMatch(m -> m.contains("clipflow.user.deleted"));
    }

    @Test
    void envelopeWithoutIdIsRejected() {
        ObjectNode json = JSON.valueToTree(CloudEvent.of(Topics.USER_DELETED, "/clipflow/test", OWNER.toString(),
                new UserDeleted(OWNER, null, null)));
        json.remove("id");

        assertThat(EventSchemas.validateEvent(Topics.USER_DELETED, json)).isNotEmpty();
    }

    @Test
    void unknownTopicHasNoSchema() {
        assertThatThrownBy(() -> EventSchemas.validateData("no.such.topic", JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
