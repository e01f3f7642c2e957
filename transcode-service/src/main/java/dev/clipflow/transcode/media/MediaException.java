package dev.clipflow.transcode.media;

/**
 * A media step failed. {@code permanent} failures (a corrupt or unsupported input, an impossible
 * request) fail the job at once; others are retried with backoff.
 */
public class MediaException extends RuntimeException {

    private final boolean permanent;

    public MediaException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public MediaException(String message, boolean permanent, Throwable cause) {
        super(message, cause, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    public static MediaException permanent(String message) {
        return new MediaException(message, true);
    }
}
