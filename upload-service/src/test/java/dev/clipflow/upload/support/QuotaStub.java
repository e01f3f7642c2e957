package dev.clipflow.upload.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A faithful stand-in for quota-service's internal API (team notes): reservations that are
 * atomic against a per-user storage limit, idempotent by reservation id, commit and release;
 * service tokens required. Tests read its state to see what upload-service did.
 */
public final class QuotaStub implements AutoCloseable {

    public static final long DEFAULT_LIMIT = 1L << 30;

    public enum State { RESERVED, COMMITTED, RELEASED }

    public record Reservation(UUID id, UUID userId, long bytes, UUID videoId, String fileName, State state) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<UUID, Reservation> reservations = new ConcurrentHashMap<>();
    private final Map<UUID, Long> limits = new ConcurrentHashMap<>();
    private volatile boolean down;

    private QuotaStub(HttpServer server) {
        this.server = server;
    }

    public static QuotaStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            QuotaStub stub = new QuotaStub(server);
            server.createContext("/internal/quota/", stub::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void limit(UUID userId, long bytes) {
        limits.put(userId, bytes);
    }

    /** While down, every call answers 503. */
    public void down(boolean down) {
        this.down = down;
    }

    public Reservation reservation(UUID id) {
        return reservations.get(id);
    }

    public State state(UUID id) {
        Reservation r = reservations.get(id);
        return r == null ? null : r.state();
    }

    private synchronized long used(UUID userId, Set<State> states) {
        return reservations.values().stream().filter(r -> r.userId().equals(userId) && states.contains(r.state()))
                .mapToLong(Reservation::bytes).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down) {
                send(exchange, 503, problem(503, "unavailable", "down"));
                return;
            }
            if (!serviceToken(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, problem(401, "auth.unauthenticated", "A service token is required."));
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/internal/quota/".length());
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("reservations")) {
                reserve(exchange, json.readTree(exchange.getRequestBody()));
            } else if (method.equals("POST") && path.startsWith("reservations/") && path.endsWith("/commit")) {
                UUID id = UUID.fromString(path.substring("reservations/".length(), path.length() - "/commit".length()));
                synchronized (this) {
                    Reservation r = reservations.get(id);
                    if (r == null || r.state() == State.RELEASED) {
                        send(exchange, 404, problem(404, "not_found", "No reservation " + id));
                        return;
                    }
                    var body = json.readTree(exchange.getRequestBody());
                    long charged = body != null && body.path("sizeBytes").isNumber() ? body.path("sizeBytes").asLong()
                            : r.bytes();
                    reservations.put(id, new Reservation(id, r.userId(), charged, r.videoId(), r.fileName(),
                            State.COMMITTED));
                }
                send(exchange, 200, json.createObjectNode().put("reservationId", id.toString()));
            } else if (method.equals("DELETE") && path.startsWith("reservations/")) {
                UUID id = UUID.fromString(path.substring("reservations/".length()));
                synchronized (this) {
                    Reservation r = reservations.get(id);
                    if (r != null && r.state() == State.RESERVED) {
                        reservations.put(id, new Reservation(id, r.userId(), r.bytes(), r.videoId(), r.fileName(),
                                State.RELEASED));
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } else {
                send(exchange, 404, problem(404, "not_found", "No route"));
            }
        } catch (RuntimeException e) {
            send(exchange, 400, problem(400, "request.invalid", String.valueOf(e.getMessage())));
        }
    }

    private void reserve(HttpExchange exchange, JsonNode body) throws IOException {
        UUID id = UUID.fromString(body.get("reservationId").asText());
        UUID userId = UUID.fromString(body.get("userId").asText());
        long bytes = body.get("bytes").asLong();
        int status;
        synchronized (this) {
            if (reservations.containsKey(id)) {
                status = 200;
            } else {
                long limit = limits.getOrDefault(userId, DEFAULT_LIMIT);
                long taken = used(userId, Set.of(State.RESERVED, State.COMMITTED));
                if (taken + bytes > limit) {
                    ObjectNode problem = problem(403, "quota.storage_exceeded", "This upload would exceed your storage quota.");
                    problem.set("storage", storage(userId));
                    send(exchange, 403, problem);
                    return;
                }
                reservations.put(id, new Reservation(id, userId, bytes,
                        body.hasNonNull("videoId") ? UUID.fromString(body.get("videoId").asText()) : null,
                        body.path("fileName").asText(null), State.RESERVED));
                status = 201;
            }
        }
        ObjectNode reply = json.createObjectNode().put("reservationId", id.toString());
        reply.set("storage", storage(userId));
        send(exchange, status, reply);
    }

    private ObjectNode storage(UUID userId) {
        long limit = limits.getOrDefault(userId, DEFAULT_LIMIT);
        long used = used(userId, Set.of(State.COMMITTED));
        long reserved = used(userId, Set.of(State.RESERVED));
        double percent = limit == 0 ? 100 : Math.round((used + reserved) * 1000.0 / limit) / 10.0;
        return json.createObjectNode().put("limitBytes", limit).put("usedBytes", used).put("reservedBytes", reserved)
                .put("percentUsed", percent).put("alert", percent >= 80);
    }

    private boolean serviceToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            String[] parts = authorization.substring(7).split("\\.");
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (JsonNode group : claims.path("groups")) {
                if (group.asText().equals("service")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private ObjectNode problem(int status, String code, String detail) {
        return json.createObjectNode().put("status", status).put("code", code).put("title", "Error")
                .put("detail", detail);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
