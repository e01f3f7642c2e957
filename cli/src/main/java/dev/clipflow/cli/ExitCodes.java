package dev.clipflow.cli;

/**
 * The exit codes scripts can rely on (documented in cli/README.md). A problem answer of the API maps
 * to a code by its HTTP status; the printed message is the problem's {@code detail}.
 */
public final class ExitCodes {

    /** Everything asked for was done. */
    public static final int OK = 0;
    /** A local failure: a file that cannot be read or written, an unexpected answer. */
    public static final int FAILURE = 1;
    /** Wrong usage: unknown command or option, missing argument (picocli's own code). */
    public static final int USAGE = 2;
    /** Not logged in, the session expired, or the credentials were refused (401). */
    public static final int NOT_AUTHENTICATED = 3;
    /** The video, upload or share link does not exist or is gone (404, 410). */
    public static final int NOT_FOUND = 4;
    /** Not allowed, or over quota (403: {@code quota.storage_exceeded}, {@code quota.bandwidth_exceeded}). */
    public static final int FORBIDDEN = 5;
    /** The API refused the request (any other 4xx: bad input, conflict such as a duplicate file name). */
    public static final int REJECTED = 6;
    /** The server could not be reached or failed (connection refused, timeouts, 5xx). */
    public static final int UNAVAILABLE = 7;
    /** The video's processing failed (watch, upload --wait): its status is FAILED. */
    public static final int VIDEO_FAILED = 8;

    private ExitCodes() {
    }

    /** The exit code of an API answer with this HTTP status. */
    public static int ofStatus(int status) {
        return switch (status) {
            case 401 -> NOT_AUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404, 410 -> NOT_FOUND;
            default -> status >= 500 ? UNAVAILABLE : status >= 400 ? REJECTED : FAILURE;
        };
    }
}
