package dev.clipflow.contracts.logging;

/**
 * The log-context (MDC) field names every service uses, so one query finds a video or a user in the
 * logs of all of them. {@code traceId} and {@code spanId} are OpenTelemetry's own (set by Quarkus).
 */
public final class LogFields {

    /** The video an event or request is about. */
    public static final String VIDEO_ID = "videoId";
    /** The user an event or request is about (or who called). */
    public static final String USER_ID = "userId";

    private LogFields() {
    }
}
