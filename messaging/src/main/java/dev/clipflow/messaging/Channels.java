package dev.clipflow.messaging;

import dev.clipflow.contracts.events.Topics;

/**
 * The {@code @Incoming} channel of each contract topic, the same in every service: the topic name
 * with dashes for dots. A service maps each channel it consumes to its topic
 * ({@code mp.messaging.incoming.video-uploaded.topic=video.uploaded}); this module's
 * {@code META-INF/microprofile-config.properties} sets the connector's defaults for all of them
 * (consumer group = the application name, from the earliest offset, values as bytes, failure
 * strategy {@code fail}).
 */
public final class Channels {

    public static final String VIDEO_UPLOADED = "video-uploaded";
    public static final String TRANSCODE_REQUESTS = "transcode-requests";
    public static final String TRANSCODE_PROGRESS = "transcode-progress";
    public static final String VIDEO_TRANSCODED = "video-transcoded";
    public static final String VIDEO_FAILED = "video-failed";
    public static final String VIDEO_DELETED = "video-deleted";
    public static final String USER_DELETED = "user-deleted";
    public static final String USAGE_BANDWIDTH = "usage-bandwidth";
    public static final String QUOTA_ALERTS = "quota-alerts";
    public static final String VIDEO_RENDITION_READY = "video-rendition_ready";
    public static final String WEBHOOK_DISABLED = "webhook-disabled";
    public static final String VIDEO_STORED = "video-stored";
    public static final String VIDEO_REPLACED = "video-replaced";

    private Channels() {
    }

    /** The channel of a topic. */
    public static String of(String topic) {
        if (!Topics.ALL.contains(topic)) {
            throw new IllegalArgumentException("Not a contract topic: " + topic);
        }
        return topic.replace('.', '-');
    }
}
