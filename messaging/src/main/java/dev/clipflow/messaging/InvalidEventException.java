package dev.clipflow.messaging;

/**
 * An event that can never be applied: not JSON, not valid against its schema, data that does not
 * map to the record, or a handler's verdict that it makes no sense (a poison event). It goes to
 * the topic's dead-letter topic at once, with this message as the reason. Any other exception a
 * handler throws counts as an infrastructure failure and is retried.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message, null, false, false);
    }
}
