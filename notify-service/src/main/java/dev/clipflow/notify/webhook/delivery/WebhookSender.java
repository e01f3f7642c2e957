package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.notify.config.NotifyConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one webhook request (Vert.x HTTP client): to the address {@link TargetGuard} checked (the Host header
 * and TLS name stay the URL's), redirects not followed, a connect and a whole-request timeout, the response
 * body read up to {@code max-response-bytes} and then the connection dropped. Called from worker threads;
 * blocks until the outcome is known.
 */
@ApplicationScoped
public class WebhookSender {

    /** What happened: a status (any, 3xx included) or an error without one. */
    public record Outcome(Integer statusCode, long latencyMs, String responseExcerpt, String error) {

        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final HttpClient client;
    private final NotifyConfig.Delivery config;

    public WebhookSender(Vertx vertx, NotifyConfig config) {
        this.config = config.delivery();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.connectTimeout().toMillis())
                .setKeepAlive(false)
                .setMaxRedirects(0)
                .setVerifyHost(true)
                .setTryUseCompression(false));
    }

    public Outcome send(TargetGuard.Target target, Map<String, String> headers, String body) {
        long started = System.nanoTime();
        Promise<Outcome> outcome = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.uri().toString())
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.requestTimeout().toMillis());
        headers.forEach(options::addHeader);
        options.putHeader("content-type", "application/json");
        // the answer's handlers are set on the response future before the request is sent: set afterwards (a
        // callback of the sent request, registered from this worker thread), a short answer could end first, and
        // setting a handler on an ended response throws: the attempt was then logged without its status
        client.request(options)
                .onFailure(e -> outcome.tryComplete(new Outcome(null, millis(started), null, describe(e))))
                .onSuccess(request -> {
                    request.response()
                            .onFailure(e -> outcome.tryComplete(new Outcome(null, millis(started), null, describe(e))))
                            .onSuccess(response -> read(response, started, outcome));
                    request.end(Buffer.buffer(body, "UTF-8"));
                });
        try {
            return outcome.future().toCompletionStage().toCompletableFuture()
                    .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            outcome.tryFail("timeout");
            return new Outcome(null, millis(started), null, "No answer within " + config.requestTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, millis(started), null, "Interrupted");
        } catch (ExecutionException e) {
            return new Outcome(null, millis(started), null, describe(e.getCause()));
        }
    }

    /** Reads an answer up to {@code max-response-bytes} into the outcome (the rest of an oversized one is not read). */
    private void read(HttpClientResponse response, long started, Promise<Outcome> outcome) {
        Buffer received = Buffer.buffer();
        response.exceptionHandler(e -> outcome.tryComplete(new Outcome(response.statusCode(), millis(started),
                excerpt(received), null)));
        response.handler(chunk -> {
            int room = config.maxResponseBytes() - received.length();
            if (room > 0) {
                received.appendBuffer(chunk.length() > room ? chunk.getBuffer(0, room) : chunk);
            }
            if (chunk.length() >= room) {
                // enough: the rest of an oversized answer is not read
                outcome.tryComplete(new Outcome(response.statusCode(), millis(started), excerpt(received), null));
                response.request().reset();
            }
        });
        response.endHandler(v -> outcome.tryComplete(new Outcome(response.statusCode(), millis(started),
                excerpt(received), null)));
    }

    private String excerpt(Buffer received) {
        String text = received.toString(StandardCharsets.UTF_8);
        return text.length() <= config.responseExcerptChars() ? text : text.substring(0, config.responseExcerptChars());
    }

    private static long millis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
