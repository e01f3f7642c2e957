package dev.clipflow.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;

import java.util.List;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}) an event carries from the request or job that
 * published it to every consumer: stored beside an outbox row (or a pending alert, or a queued job),
 * sent as the Kafka record's {@code traceparent} header, taken up by {@link EventIntake}. Written and
 * read by OpenTelemetry's W3C propagator.
 */
public final class TraceContext {

    /** The Kafka header (and the W3C field) that carries the trace context. */
    public static final String HEADER = "traceparent";

    private static final TextMapSetter<Map<String, String>> SETTER = Map::put;
    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The {@code traceparent} of the current span, or null when there is no valid one (no tracing). */
    public static String current() {
        return of(Context.current());
    }

    /** The {@code traceparent} of a context's span, or null when it has no valid span. */
    public static String of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new java.util.HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, SETTER);
        return carrier.get(HEADER);
    }

    /** The context whose remote parent is {@code traceparent}; the root context when it is null or malformed. */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }
}
