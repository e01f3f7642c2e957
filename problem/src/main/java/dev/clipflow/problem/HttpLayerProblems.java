package dev.clipflow.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.problem.Problem;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.cors.CORSFilter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Problem responses for what the HTTP layer refuses before any JAX-RS resource (and so before
 * {@link ProblemMappers}) runs: a request line too long, a URI the router cannot decode (a malformed
 * percent-escape such as {@code ?page=%ZZ}), a body over the size limit, an Origin the CORS policy refuses.
 * Vert.x and Quarkus answer these with an empty body; the contract wants {@code application/problem+json}
 * with a {@code code} for every 4xx.
 */
@Singleton
public class HttpLayerProblems {

    /** Longest request target a service accepts; the gateway's own limit (nginx, 8 KiB lines) is the same. */
    public static final int MAX_URI_LENGTH = 8 * 1024;

    private final ObjectMapper json;
    private final List<String> origins;
    private final List<Pattern> originPatterns;

    public HttpLayerProblems(ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        this.json = json;
        this.origins = origins.orElse(List.of());
        this.originPatterns = CORSFilter.parseAllowedOriginsRegex(origins);
    }

    void filters(@Observes Filters filters) {
        // before everything else: a request target past the limit or not a URI never reaches a route
        filters.register(this::requestTarget, Integer.MAX_VALUE);
        // just before Quarkus's CORS filter, which refuses a foreign Origin with an empty 403
        filters.register(this::origin, SecurityHandlerPriorities.CORS + 1);
    }

    void router(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    /**
     * Quarkus refuses a request target that is not a {@link URI} (e.g. {@code ?page=%ZZ}) with an empty 400 in its
     * root handler, before any filter, unless {@code -Dvertx.disableURIValidation=true} is set (the services run
     * with it: pom.xml's surefire argLine, ./clipflow, the chart's javaOpts, the native build arguments); then
     * this filter makes the same check and answers with a problem.
     */
    private void requestTarget(RoutingContext ctx) {
        String target = ctx.request().uri();
        if (target.length() > MAX_URI_LENGTH) {
            send(ctx, Problem.of(414, "request.uri_too_long", "URI Too Long",
                    "The request target is longer than " + MAX_URI_LENGTH + " characters."), false);
            return;
        }
        try {
            new URI(target);
        } catch (URISyntaxException e) {
            send(ctx, Problem.of(400, "request.malformed_uri", "Bad Request",
                    "The request target is not a valid URI (" + e.getReason() + " at index " + e.getIndex()
                            + "); percent-encode reserved characters as %XX."), false);
            return;
        }
        ctx.next();
    }

    /**
     * The same decision as Quarkus's CORS filter (listed origin, /regex/ origin, or the request's own origin),
     * answered as a problem. With SameSite=Strict cookies this is the CSRF defence: a cookie-authenticated
     * state change from a page on another origin never reaches a resource.
     */
    private void origin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed(ctx.request(), origin)) {
            ctx.next();
            return;
        }
        send(ctx, Problem.of(403, "request.origin_not_allowed", "Forbidden",
                "Requests from the origin " + origin + " are not allowed (CORS)."), false);
    }

    private boolean allowed(HttpServerRequest request, String origin) {
        if (origins.contains("*") || origins.contains(origin) || CORSFilter.isOriginAllowedByRegex(originPatterns, origin)) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String host = request.authority() == null ? null : request.authority().host();
            int port = request.authority() == null ? -1 : request.authority().port();
            return o.getScheme() != null && o.getScheme().equalsIgnoreCase(request.scheme())
                    && o.getHost() != null && o.getHost().equalsIgnoreCase(host)
                    && effectivePort(o.getScheme(), o.getPort()) == effectivePort(request.scheme(), port)
                    && (o.getPath() == null || o.getPath().isEmpty());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(String scheme, int port) {
        if (port > 0) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        if (status < 0 && failure instanceof IllegalArgumentException) {
            status = 400; // e.g. a query string Netty's decoder cannot read
        }
        if (status < 400 || status > 499) {
            ctx.next(); // 5xx: Quarkus's error handler logs it and answers without detail
            return;
        }
        send(ctx, problem(status), true);
    }

    private static Problem problem(int status) {
        return switch (status) {
            case 400 -> Problem.of(400, "http.400", "Bad Request", "The request could not be read.");
            case 404 -> Problem.of(404, "http.404", "Not Found", "Nothing is found at this path.");
            case 405 -> Problem.of(405, "http.405", "Method Not Allowed", "This method is not allowed here.");
            case 413 -> Problem.of(413, "http.413", "Content Too Large", "The request body is too large.");
            case 414 -> Problem.of(414, "request.uri_too_long", "URI Too Long", "The request target is too long.");
            case 431 -> Problem.of(431, "http.431", "Request Header Fields Too Large", "The request headers are too large.");
            default -> Problem.of(status, "http." + status, "Error", "The request was refused.");
        };
    }

    private void send(RoutingContext ctx, Problem problem, boolean closeIfBodyPending) {
        HttpServerRequest request = ctx.request();
        String path;
        try {
            path = request.path();
        } catch (RuntimeException e) {
            path = null;
        }
        Problem answer = path == null || path.length() > 256 ? problem : problem.at(path);
        String body;
        try {
            body = json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            Log.error("Problem not serializable", e);
            body = "{\"status\":" + problem.status() + ",\"code\":\"" + problem.code() + "\"}";
        }
        HttpServerResponse response = ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (!request.isEnded() && (closeIfBodyPending || hasBody(request))) {
            // the unread body of a refused request would otherwise be parsed as the next request
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || request.method().name().toUpperCase(Locale.ROOT).equals("PATCH");
    }
}
