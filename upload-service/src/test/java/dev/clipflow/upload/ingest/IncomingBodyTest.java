package dev.clipflow.upload.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies received by a real Vert.x server from real HTTP clients. */
class IncomingBodyTest {

    static final int BODIES = 20;
    static final int WINDOW = 4 * 1024 * 1024;

    /**
     * Twenty uploads at once whose workers stop reading: each keeps its whole 4 MiB window waiting only while the
     * bodies together keep the shared allowance (16 MiB), then one block, so the heap holds ~21 MiB of waiting
     * blocks, not 80 MiB (a hundred uploads would have needed more than the service's heap).
     */
    @Test
    void manyBodiesAtOnceKeepTheSharedAllowanceWaitingNotEachItsWindow() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<IncomingBody> bodies = new CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newCachedThreadPool();
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                request.pause(); // as Quarkus REST hands it over: paused until the resource reads it
                IncomingBody body = IncomingBody.of(request, WINDOW);
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
            workers.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(IncomingBody.waitingEverywhere()).isZero(); // closed bodies give their blocks back
    }
}
