package dev.clipflow.messaging;

/**
 * Applies one event. Throw {@link InvalidEventException} for an event that can never apply; any
 * other exception is an infrastructure failure (database, blob store, another service) and the
 * same event is handed again after a pause, so the handler must be idempotent (inbox, event-id
 * dedup or naturally idempotent effects).
 */
@FunctionalInterface
public interface EventHandler<T> {

    void handle(IncomingEvent<T> event);
}
