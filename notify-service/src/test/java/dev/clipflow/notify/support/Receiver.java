package dev.clipflow.notify.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server standing in for a customer's webhook endpoint: records every request (headers, body,
 * arrival) and answers with the scripted statuses, then 200.
 */
public final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String path, Map<String, List<String>> headers, String body, Instant at) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private volatile String redirectTo;
    private volatile int bodyBytes;
    private volatile long delayMillis;

    private Receiver(HttpServer server) {
        this.server = server;
    }

    public static Receiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Receiver receiver = new Receiver(server);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                receiver.requests.add(new Request(exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), Instant.now()));
                int status;
                synchronized (receiver.script) {
                    status = receiver.script.isEmpty() ? 200 : receiver.script.poll();
                }
                if (status / 100 == 3 && receiver.redirectTo != null) {
                    exchange.getResponseHeaders().add("Location", receiver.redirectTo);
                }
                if (receiver.delayMillis > 0) {
                    try {
                        Thread.sleep(receiver.delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] answer = receiver.bodyBytes > 0 ? "x".repeat(receiver.bodyBytes).getBytes(StandardCharsets.UTF_8)
                        : ("{\"received\":" + status + "}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next answers, in order; 200 after them. */
    public Receiver answer(Integer... statuses) {
        synchronized (script) {
            script.addAll(List.of(statuses));
        }
        return this;
    }

    /** Answers with a body of this many bytes instead of the short JSON. */
    public Receiver answerBodyOf(int bytes) {
        this.bodyBytes = bytes;
        return this;
    }

    /** Waits this long before answering. */
    public Receiver delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public Receiver redirectTo(String location) {
        this.redirectTo = location;
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
