package dev.clipflow.transcode.job.event;

/** An event that can never be applied (not JSON, not schema-valid); it goes to the topic's DLQ with this reason. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message, null, false, false);
    }
}
