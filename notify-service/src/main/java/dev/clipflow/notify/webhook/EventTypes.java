package dev.clipflow.notify.webhook;

import java.util.List;

/** The webhook event types an endpoint can subscribe to (docs/api.md "Webhooks" names their payloads). */
public final class EventTypes {

    /** A video's outputs are stored: it plays (from {@code video.transcoded}). */
    public static final String VIDEO_READY = "video.ready";
    /** A video cannot be made playable (from {@code video.failed}). */
    public static final String VIDEO_FAILED = "video.failed";
    /**
     * One rung of a video's HLS ladder is ready (from {@code video.rendition_ready}, once transcode-service
     * emits one event per rung).
     */
    public static final String VIDEO_RENDITION_READY = "video.rendition_ready";
    /** A video plays the file of its replacement upload now (from {@code video.replaced}). */
    public static final String VIDEO_REPLACED = "video.replaced";
    /** A replacement upload could not be made playable; the video kept its file (from its {@code video.failed}). */
    public static final String VIDEO_REPLACE_FAILED = "video.replace_failed";
    /** A video was deleted (from {@code video.deleted}). */
    public static final String VIDEO_DELETED = "video.deleted";
    /** An upload finished and was accepted as a video (from {@code video.uploaded}). */
    public static final String UPLOAD_COMPLETED = "upload.completed";
    /** 80 % or 100 % of a storage or bandwidth limit crossed (from {@code quota.alerts}). */
    public static final String QUOTA_ALERT = "quota.alert";
    /** A transcode, trim, merge or thumbnail job succeeded (from {@code transcode.progress}). */
    public static final String JOB_SUCCEEDED = "job.succeeded";
    /** A job failed (from {@code transcode.progress}). */
    public static final String JOB_FAILED = "job.failed";

    public static final List<String> ALL = List.of(VIDEO_READY, VIDEO_FAILED, VIDEO_RENDITION_READY, VIDEO_DELETED,
            UPLOAD_COMPLETED, QUOTA_ALERT, JOB_SUCCEEDED, JOB_FAILED, VIDEO_REPLACED, VIDEO_REPLACE_FAILED);

    private EventTypes() {
    }
}
