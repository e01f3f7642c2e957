package dev.clipflow.contracts.events;

import java.util.List;

/**
 * Kafka topic names of the public event contract. The message key is the video id
 * (the user id for user events); the CloudEvents {@code type} is {@code clipflow.<topic>}.
 */
public final class Topics {

    public static final String VIDEO_UPLOADED = "video.uploaded";
    public static final String TRANSCODE_REQUESTS = "transcode.requests";
    public static final String TRANSCODE_PROGRESS = "transcode.progress";
    public static final String VIDEO_TRANSCODED = "video.transcoded";
    public static final String VIDEO_FAILED = "video.failed";
    public static final String VIDEO_DELETED = "video.deleted";
    public static final String USER_DELETED = "user.deleted";
    public static final String USAGE_BANDWIDTH = "usage.bandwidth";
    public static final String QUOTA_ALERTS = "quota.alerts";
    public static final String VIDEO_RENDITION_READY = "video.rendition_ready";
    public static final String WEBHOOK_DISABLED = "webhook.disabled";
    public static final String VIDEO_STORED = "video.stored";
    public static final String VIDEO_REPLACED = "video.replaced";

    /** Every topic of the contract, each with a JSON Schema under {@code /schemas/<topic>.json}. */
    public static final List<String> ALL = List.of(VIDEO_UPLOADED, TRANSCODE_REQUESTS, TRANSCODE_PROGRESS,
            VIDEO_TRANSCODED, VIDEO_FAILED, VIDEO_DELETED, USER_DELETED, USAGE_BANDWIDTH, QUOTA_ALERTS,
            VIDEO_RENDITION_READY, WEBHOOK_DISABLED, VIDEO_STORED, VIDEO_REPLACED);

    private Topics() {
    }

    /** The CloudEvents type of the events on a topic. */
    public static String eventType(String topic) {
        return "clipflow." + topic;
    }

    /** The dead-letter topic of a topic. */
    public static String dlq(String topic) {
        return topic + ".dlq";
    }
}
