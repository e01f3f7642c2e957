package dev.clipflow.testinfra.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events body read on a thread of its own (the JDK has no SSE client): each event (its
 * {@code event:} name, {@code message} by default, and its {@code data:} lines) lands in {@link #events()};
 * comment lines (keep-alives) are only counted. Reading ends when the body ends or is closed.
 */
public final class SseStream {

    /** One event as a client sees it. */
    public record Event(String name, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;

    private SseStream(InputStream body) {
        reader = new Thread(() -> consume(body), "sse-reader");
        reader.setDaemon(true);
    }

    /** Starts reading {@code body}. */
    public static SseStream read(InputStream body) {
        SseStream stream = new SseStream(body);
        stream.reader.start();
        return stream;
    }

    public BlockingQueue<Event> events() {
        return events;
    }

    /** How many comment lines (keep-alives) arrived so far. */
    public int comments() {
        return comments.get();
    }

    /** True while the body is still open. */
    public boolean isOpen() {
        return reader.isAlive();
    }

    private void consume(InputStream body) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException closed) {
            // the test closed the stream
        }
    }
}
