package dev.clipflow.upload.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies received by a real Vert.x server from real HTTP clients. */
class IncomingBodyTest {

    static final int BODIES = 20;
    static final int WINDOW = 4 * 1024 * 1024;

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    /** The connections the server saw a request on. */
    private final Set<Object> connections = ConcurrentHashMap.newKeySet();
    /** Whether the server's bodies go through the tap (the service's default). */
    private boolean tap = true;

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A server that reads each body on a worker as the upload resources do (after {@code startAfterMs}, taking a
     * block every {@code stallMs}) and answers its SHA-256 and length; {@code /refuse} reads one block only,
     * closes the body and answers 409, as a chunk turned down midway.
     */
    private int server(long startAfterMs, long stallMs) throws Exception {
        return vertx.createHttpServer().requestHandler(request -> {
            request.pause(); // as Quarkus REST hands it over: paused until the resource reads it
            connections.add(request.connection());
            boolean tapped = tap;
            workers.submit(() -> answer(request, startAfterMs, stallMs, tapped));
        }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static void answer(HttpServerRequest request, long startAfterMs, long stallMs, boolean tap) {
        try (IncomingBody body = IncomingBody.of(request, WINDOW, tap)) {
            Thread.sleep(startAfterMs);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long length = 0;
            if (request.path().equals("/refuse")) {
                body.next();
                body.close();
                request.response().setStatusCode(409).end("refused");
                return;
            }
            for (ByteBuffer block; (block = body.next()) != null; ) {
                length += block.remaining();
                sha.update(block);
                Thread.sleep(stallMs);
            }
            request.response().end(HexFormat.of().formatHex(sha.digest()) + " " + length);
        } catch (IOException e) {
            request.response().setStatusCode(400).end("cut off: " + e.getMessage());
        } catch (Exception e) {
            request.response().setStatusCode(500).end(e.toString());
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String expected(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + " " + bytes.length;
    }

    /**
     * Bodies of every kind arrive whole and in order, whether the worker reads them at once, slowly (the window
     * fills and the connection is held back again and again) or only after Vert.x queued their first pieces
     * (those come before what the tap takes), and the same connection carries the next request each time; through
     * the tap (nearly every byte taken in front of Vert.x) and without it.
     */
    @Test
    void bodiesArriveWholeAndInOrderAndTheConnectionCarriesTheNextRequest() throws Exception {
        for (boolean tapping : new boolean[] {true, false}) {
            tap = tapping;
            long tappedBefore = IncomingBody.tappedBytes();
            bodiesArriveWholeAndInOrder();
            long tapped = IncomingBody.tappedBytes() - tappedBefore;
            long sent = 3 * 2 * (24L * 1024 * 1024 + 17 + 100 + 3 * 1024 * 1024);
            if (tapping) {
                assertThat(tapped).as("bytes the tap took of %d sent", sent).isGreaterThan(sent * 3 / 4);
            } else {
                assertThat(tapped).isZero();
            }
        }
    }

    private void bodiesArriveWholeAndInOrder() throws Exception {
        for (long[] timing : new long[][] {{0, 0}, {0, 2}, {300, 0}}) {
            connections.clear();
            int port = server(timing[0], timing[1]);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/body");
            for (byte[] sent : List.of(random(24 * 1024 * 1024 + 17, 1), random(100, 2), new byte[0], random(3 * 1024 * 1024, 3))) {
                HttpResponse<String> fixed = http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(sent))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(fixed.body()).as("Content-Length body, timing %s", List.of(timing[0], timing[1])).isEqualTo(expected(sent));
                HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(sent))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(chunked.body()).as("chunked body, timing %s", List.of(timing[0], timing[1])).isEqualTo(expected(sent));
            }
            assertThat(connections).as("one keep-alive connection carried every request").hasSize(1);
        }
    }

    /** A chunked body with a trailer, and a second request sent right behind it on the same socket. */
    @Test
    void aTrailerEndsTheBodyAndThePipelinedRequestIsAnswered() throws Exception {
        int port = server(0, 0);
        byte[] first = random(5 * 1024 * 1024, 4);
        byte[] second = random(70_000, 5);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int at = 0; at < first.length; at += 1_000_000) {
                int n = Math.min(1_000_000, first.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(first, at, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\nX-Checksum: none\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(("PUT /body HTTP/1.1\r\nHost: x\r\nContent-Length: " + second.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(second);
            out.flush();
            socket.setSoTimeout(20_000);
            assertThat(readUntil(socket.getInputStream(), expected(first), expected(second)))
                    .contains(expected(first)).contains(expected(second));
        }
    }

    /** A body closed after one block (a chunk turned down midway): the rest is dropped, the connection goes on. */
    @Test
    void aBodyClosedBeforeItsEndIsDroppedAndTheConnectionGoesOn() throws Exception {
        int port = server(0, 0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] sent = random(20 * 1024 * 1024, 6);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/refuse"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(sent)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(409);
        HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/body"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(sent)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.body()).isEqualTo(expected(sent));
        assertThat(connections).hasSize(1);
    }

    /**
     * A client that hangs up midway fails the worker's read instead of leaving it waiting, and the bodies after it
     * arrive intact: the block the failed read had finished went back to the pool twice (once before the read, once
     * when the body closed), so two later bodies filled one array at once and stored each other's bytes.
     */
    @Test
    void aClientHangingUpMidBodyFailsTheReadAndLaterBodiesArriveIntact() throws Exception {
        java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        int port = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            workers.submit(() -> {
                try (IncomingBody body = IncomingBody.of(request, WINDOW, true)) {
                    long length = 0;
                    for (ByteBuffer block; (block = body.next()) != null; ) {
                        length += block.remaining();
                    }
                    outcome.complete("ended after " + length);
                } catch (IOException e) {
                    outcome.complete("failed: " + e.getMessage());
                }
            });
        }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PUT /body HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(random(8 * 1024 * 1024, 7));
            out.flush();
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).startsWith("failed: ");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server(0, 0) + "/body");
        byte[] sent = random(24 * 1024 * 1024, 8);
        assertThat(http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(sent)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(expected(sent));
    }

    /** What the socket brings until every one of {@code expected} is in it (or 20 s passed, or it closed). */
    private static String readUntil(InputStream in, String... expected) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && !java.util.Arrays.stream(expected).allMatch(text.toString()::contains)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        return text.toString();
    }

    /**
     * Twenty uploads at once whose workers stop reading: each keeps its whole 4 MiB window waiting only while the
     * bodies together keep the shared allowance (16 MiB), then one block, so the heap holds ~21 MiB of waiting
     * blocks, not 80 MiB (a hundred uploads would have needed more than the service's heap).
     */
    @Test
    void manyBodiesAtOnceKeepTheSharedAllowanceWaitingNotEachItsWindow() throws Exception {
        List<IncomingBody> bodies = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                request.pause(); // as Quarkus REST hands it over: paused until the resource reads it
                IncomingBody body = IncomingBody.of(request, WINDOW, true);
                bodies.add(body);
                workers.submit(() -> body.next()); // the worker takes one block, then stalls (a slow disk)
            }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            byte[] chunk = new byte[16 * 1024 * 1024];
            for (int i = 0; i < BODIES; i++) {
                clients.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.discarding()));
            }
            int settled = -1;
            for (int i = 0; i < 100; i++) { // until nothing more arrives for half a second
                Thread.sleep(500);
                int now = IncomingBody.waitingEverywhere();
                if (bodies.size() == BODIES && now == settled) {
                    break;
                }
                settled = now;
            }
            assertThat(bodies).hasSize(BODIES);
            // each body may pass the allowance by the one block it was filling when it was reached
            assertThat(IncomingBody.waitingEverywhere()).isGreaterThanOrEqualTo(IncomingBody.SHARED_WAITING_BLOCKS)
                    .isLessThanOrEqualTo(IncomingBody.SHARED_WAITING_BLOCKS + BODIES);
        } finally {
            bodies.forEach(IncomingBody::close);
            clients.shutdownNow();
        }
        assertThat(IncomingBody.waitingEverywhere()).isZero(); // closed bodies give their blocks back
    }
}
