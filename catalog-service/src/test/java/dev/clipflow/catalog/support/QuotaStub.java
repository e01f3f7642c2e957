package dev.clipflow.catalog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.clipflow.contracts.events.EventJson;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful stand-in for quota-service's {@code GET /internal/quota/users/{userId}}: requires a
 * Bearer token of group {@code service}, answers the {@code /api/quota/me} body of the user with
 * the figures a test set (default: 10 GiB bandwidth, nothing used), or 503 for users marked down.
 */
public final class QuotaStub implements AutoCloseable {

    private static final long DEFAULT_LIMIT = 10L << 30;

    private final HttpServer server;
    private final Map<UUID, long[]> bandwidth = new ConcurrentHashMap<>();
    private final Set<UUID> down = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<UUID, AtomicInteger> callsByUser = new ConcurrentHashMap<>();
    private final Map<UUID, Long> slowMillis = new ConcurrentHashMap<>();
    private volatile String lastSubject;

    private QuotaStub(HttpServer server) {
        this.server = server;
    }

    public static QuotaStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            QuotaStub stub = new QuotaStub(server);
            server.createContext("/internal/quota/users/", exchange -> {
                stub.calls.incrementAndGet();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                int status;
                String body;
                JsonNode claims = auth != null && auth.startsWith("Bearer ") ? claims(auth.substring(7)) : null;
                String path = exchange.getRequestURI().getPath();
                UUID user = null;
                try {
                    user = UUID.fromString(path.substring(path.lastIndexOf('/') + 1));
                } catch (IllegalArgumentException e) {
                    // answered 404 below
                }
                if (claims == null) {
                    status = 401;
                    body = "{\"status\":401,\"code\":\"auth.unauthenticated\"}";
                } else if (!claims.path("groups").toString().contains("\"service\"")) {
                    status = 403;
                    body = "{\"status\":403,\"code\":\"auth.forbidden\"}";
                } else if (user == null || !"GET".equals(exchange.getRequestMethod())) {
                    status = 404;
                    body = "{\"status\":404,\"code\":\"not_found\"}";
                } else if (stub.down.contains(user)) {
                    stub.counted(user);
                    status = 503;
                    body = "{\"status\":503,\"code\":\"unavailable\"}";
                } else {
                    stub.counted(user);
                    stub.lastSubject = claims.path("sub").asText();
                    long[] figures = stub.bandwidth.getOrDefault(user, new long[] {DEFAULT_LIMIT, 0});
                    status = 200;
                    body = """
                            {"storage":{"limitBytes":10737418240,"usedBytes":0,"reservedBytes":0,"percentUsed":0,"alert":false},
                             "bandwidth":{"limitBytes":%d,"usedBytes":%d,"periodStart":"2026-11-01T00:00:00Z",
                                          "periodEnd":"2026-12-01T00:00:00Z","percentUsed":%d,"alert":%s},
                             "deletions":{"count":0,"bytes":0},"files":[]}"""
                            .formatted(figures[0], figures[1], figures[0] == 0 ? 100 : figures[1] * 100 / figures[0],
                                    figures[1] * 5 >= figures[0] * 4);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type",
                        status == 200 ? "application/json" : "application/problem+json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.createContext("/internal/quota/reservations", exchange -> stub.reservation(exchange));
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // concurrent, like the service
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            return EventJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A reservation as catalog-service asked for it. */
    public record Reservation(UUID reservationId, UUID userId, long bytes, UUID videoId, String fileName) {
    }

    private final Map<UUID, Reservation> reservations = new ConcurrentHashMap<>();
    private final Map<UUID, Long> storageLimits = new ConcurrentHashMap<>();

    /** {@code POST /internal/quota/reservations} (403 past the user's storage limit) and {@code DELETE .../{id}}. */
    private void reservation(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode claims = auth != null && auth.startsWith("Bearer ") ? claims(auth.substring(7)) : null;
        int status;
        String body = "";
        if (claims == null || !claims.path("groups").toString().contains("\"service\"")) {
            status = 401;
        } else if ("POST".equals(exchange.getRequestMethod())) {
            JsonNode request = EventJson.mapper().readTree(exchange.getRequestBody());
            Reservation wanted = new Reservation(UUID.fromString(request.path("reservationId").asText()),
                    UUID.fromString(request.path("userId").asText()), request.path("bytes").asLong(),
                    UUID.fromString(request.path("videoId").asText()), request.path("fileName").asText());
            long reserved = reservations.values().stream().filter(r -> r.userId().equals(wanted.userId()))
                    .mapToLong(Reservation::bytes).sum();
            long limit = storageLimits.getOrDefault(wanted.userId(), DEFAULT_LIMIT);
            if (reserved + wanted.bytes() > limit) {
                status = 403;
                body = "{\"status\":403,\"code\":\"quota.storage_exceeded\",\"title\":\"Forbidden\","
                        + "\"detail\":\"The upload needs " + wanted.bytes() + " bytes but only "
                        + Math.max(0, limit - reserved) + " bytes of storage are left.\"}";
            } else {
                reservations.put(wanted.reservationId(), wanted);
                status = 201;
                body = "{\"reservationId\":\"" + wanted.reservationId() + "\",\"storage\":{\"limitBytes\":" + limit
                        + ",\"usedBytes\":0,\"reservedBytes\":" + (reserved + wanted.bytes()) + "}}";
            }
        } else if ("DELETE".equals(exchange.getRequestMethod())) {
            String path = exchange.getRequestURI().getPath();
            reservations.remove(UUID.fromString(path.substring(path.lastIndexOf('/') + 1)));
            status = 204;
        } else {
            status = 405;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    public java.util.Optional<Reservation> reservation(UUID reservationId) {
        return java.util.Optional.ofNullable(reservations.get(reservationId));
    }

    public void setStorageLimit(UUID user, long limitBytes) {
        storageLimits.put(user, limitBytes);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void setBandwidth(UUID user, long limitBytes, long usedBytes) {
        bandwidth.put(user, new long[] {limitBytes, usedBytes});
    }

    public void markDown(UUID user) {
        down.add(user);
    }

    public int calls() {
        return calls.get();
    }

    /** How many times a user's figures were asked for. */
    public int calls(UUID user) {
        AtomicInteger count = callsByUser.get(user);
        return count == null ? 0 : count.get();
    }

    /** Answers for {@code user} only after {@code millis} (a busy quota-service), so that callers overlap. */
    public void slow(UUID user, long millis) {
        slowMillis.put(user, millis);
    }

    private void counted(UUID user) {
        callsByUser.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
        Long millis = slowMillis.get(user);
        if (millis != null) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public String lastSubject() {
        return lastSubject;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
