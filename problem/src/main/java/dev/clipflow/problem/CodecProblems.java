package dev.clipflow.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.problem.Problem;
import io.netty.handler.codec.TooLongFrameException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.lang.reflect.Field;

/**
 * Problem responses for what Netty's HTTP codec refuses before Vert.x hands the request to any handler: a request line
 * over {@code quarkus.http.limits.max-initial-line-length} (414) or headers over {@code max-header-size} (431). Vert.x
 * answers these with an empty body from its server's "invalid request handler"; Quarkus (3.32) gives no way to set that
 * handler (quarkusio/quarkus#55082), so this replaces it on each HTTP server Quarkus started, by reflection into Vert.x
 * 4.5's server internals. Should a Vert.x upgrade move them, the services still start (a warning is logged) and the
 * services' PlatformTest (test-infra PlatformConventionsTest) fails until this is adapted. Native images keep the
 * fields for reflection (untested here: no GraalVM on this machine).
 */
@Singleton
@io.quarkus.runtime.annotations.RegisterForReflection(fields = true, methods = false, classNames = {
    "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle", "io.vertx.core.net.impl.TCPServerBase",
    "io.vertx.core.http.impl.HttpServerWorker", "io.vertx.core.http.impl.HttpServerConnectionHandler"})
public class CodecProblems {

    private static final String QUARKUS_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";

    private final ObjectMapper json;
    private final Vertx vertx;

    public CodecProblems(ObjectMapper json, Vertx vertx) {
        this.json = json;
        this.vertx = vertx;
    }

    void started(@Observes HttpServerStart start) {
        install();
    }

    void started(@Observes StartupEvent start) {
        install();
    }

    private int attempts;

    synchronized void install() {
        if (!(vertx instanceof VertxInternal internal)) {
            return;
        }
        int servers = 0;
        int waiting = 0;
        int verticles = 0;
        try {
            for (String id : vertx.deploymentIDs()) {
                Deployment deployment = internal.getDeployment(id);
                if (deployment == null) {
                    continue;
                }
                for (Verticle verticle : deployment.getVerticles()) {
                    if (!verticle.getClass().getName().equals(QUARKUS_VERTICLE)) {
                        continue;
                    }
                    verticles++;
                    for (String name : new String[] {"httpServer", "httpsServer"}) {
                        if (field(verticle, verticle.getClass(), name) instanceof HttpServer server) {
                            switch (replace(server)) {
                                case INSTALLED -> servers++;
                                case NOT_LISTENING -> waiting++;
                                default -> { }
                            }
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("Request lines and headers over the HTTP codec's limits get Vert.x's bare 414/431: %s", e);
            return;
        }
        Log.debugf("Codec problems installed on %d HTTP servers, %d not listening yet", servers, waiting);
        if ((verticles == 0 || waiting > 0) && attempts++ < 600) {
            // StartupEvent can come before Quarkus deploys its HTTP verticles, and each event loop's server binds on its own
            vertx.setTimer(100, t -> install());
        }
    }

    private enum Outcome { INSTALLED, ALREADY, NOT_LISTENING }

    /** HttpServerImpl (TCPServerBase).childHandler -> HttpServerWorker.connectionHandler -> its invalidRequestHandler. */
    @SuppressWarnings("unchecked")
    private Outcome replace(HttpServer server) throws ReflectiveOperationException {
        Object worker = field(server, Class.forName("io.vertx.core.net.impl.TCPServerBase"), "childHandler");
        if (worker == null) {
            return Outcome.NOT_LISTENING;
        }
        Object connections = field(worker, worker.getClass(), "connectionHandler");
        Field invalid = connections.getClass().getDeclaredField("invalidRequestHandler");
        invalid.setAccessible(true);
        Handler<HttpServerRequest> current = (Handler<HttpServerRequest>) invalid.get(connections);
        if (current instanceof ProblemAnswer) {
            return Outcome.ALREADY;
        }
        invalid.set(connections, new ProblemAnswer(current));
        return Outcome.INSTALLED;
    }

    private static Object field(Object target, Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    /** Answers 414 and 431 as problems; leaves every other invalid request to Vert.x (it closes the connection). */
    private final class ProblemAnswer implements Handler<HttpServerRequest> {

        private final Handler<HttpServerRequest> fallback;

        ProblemAnswer(Handler<HttpServerRequest> fallback) {
            this.fallback = fallback;
        }

        @Override
        public void handle(HttpServerRequest request) {
            Throwable cause = request.decoderResult().cause();
            String message = cause instanceof TooLongFrameException && cause.getMessage() != null ? cause.getMessage() : "";
            Problem problem;
            if (message.startsWith("An HTTP line is larger than")) {
                problem = Problem.of(414, "request.uri_too_long", "URI Too Long",
                        "The request line is longer than the server reads; keep request targets under "
                                + HttpLayerProblems.MAX_URI_LENGTH + " characters.");
            } else if (message.startsWith("HTTP header is larger than")) {
                problem = Problem.of(431, "http.431", "Request Header Fields Too Large", "The request headers are too large.");
            } else {
                fallback.handle(request);
                return;
            }
            String body;
            try {
                body = json.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                body = "{\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\"}";
            }
            request.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(body);
        }
    }
}
