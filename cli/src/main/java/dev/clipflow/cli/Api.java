package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The public API of one Clipflow gateway, with the tokens of {@code login}: every call carries the
 * access token; a 401 refreshes the pair once ({@code POST /api/auth/refresh}) and repeats the call.
 * Error answers become {@link ApiException}s carrying the problem's {@code detail} and {@code code}.
 */
public final class Api {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final String server;
    private final CliHome home;
    private CliHome.Credentials credentials;

    Api(String server, CliHome home, CliHome.Credentials credentials) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.home = home;
        this.credentials = credentials;
    }

    public String server() {
        return server;
    }

    /** An absolute URL for a path of the API (or the URL itself when it is absolute already). */
    public String url(String path) {
        return path.startsWith("http://") || path.startsWith("https://") ? path : server + path;
    }

    /** A JSON call; {@code body} null sends none. Answers the parsed body (null for 204). */
    public JsonNode json(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(write(body));
        HttpResponse<String> response = send(builder -> {
            builder.method(method, publisher).header("Accept", "application/json, application/problem+json");
            if (body != null) {
                builder.header("Content-Type", "application/json");
            }
            return builder;
        }, HttpResponse.BodyHandlers.ofString(), path);
        return parse(response.body());
    }

    /** Sends with the access token; refreshes once on 401; throws {@link ApiException} for any 4xx/5xx. */
    public <T> HttpResponse<T> send(UnaryOperator<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler,
            String path) {
        String used = token();
        HttpResponse<T> response = sendOnce(request, handler, path, used);
        if (response.statusCode() == 401 && credentials != null && credentials.refreshToken() != null) {
            refresh(used);
            discard(response);
            response = sendOnce(request, handler, path, token());
        }
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return response;
    }

    /** Sends without a token and without refreshing (login, public share links). */
    public HttpResponse<String> sendAnonymous(String method, String path, Object body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(write(body)))
                .header("Accept", "application/json, application/problem+json");
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw problem(response);
        }
        return response;
    }

    private synchronized String token() {
        if (credentials == null) {
            throw new CliException(ExitCodes.NOT_AUTHENTICATED, "Not logged in: run 'clipflow-cli login' first.");
        }
        return credentials.accessToken();
    }

    /** One refresh for all threads that saw the same expired token; the new pair is saved. */
    private synchronized void refresh(String expired) {
        if (!expired.equals(credentials.accessToken())) {
            return; // another thread refreshed already
        }
        HttpResponse<String> response;
        try {
            response = sendAnonymous("POST", "/api/auth/refresh", Map.of("refreshToken", credentials.refreshToken()));
        } catch (ApiException e) {
            throw new CliException(ExitCodes.NOT_AUTHENTICATED,
                    "The session has expired (" + e.getMessage() + "): run 'clipflow-cli login' again.", e);
        }
        JsonNode pair = parse(response.body());
        credentials = new CliHome.Credentials(credentials.server(), credentials.email(),
                pair.path("accessToken").asText(), pair.path("refreshToken").asText());
        home.write(home.credentialsFile(), credentials);
    }

    private <T> HttpResponse<T> sendOnce(UnaryOperator<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler,
            String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token);
        return exchange(request.apply(builder).build(), handler);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Cannot reach " + server + " (" + describe(e) + ").", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "No answer from " + server + " in time.", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Connection to " + server + " failed (" + describe(e) + ").", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "Interrupted.", e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof java.io.InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }

    /** The problem's {@code detail} (its {@code title} if it has none), or the status line. */
    static ApiException problem(HttpResponse<?> response) {
        String text;
        Object body = response.body();
        try {
            text = body instanceof String s ? s
                    : body instanceof java.io.InputStream in ? new String(in.readNBytes(64 * 1024)) : "";
        } catch (IOException e) {
            text = "";
        }
        int status = response.statusCode();
        try {
            JsonNode problem = CliHome.JSON.readTree(text);
            if (problem != null && problem.isObject()) {
                String detail = problem.path("detail").asText(problem.path("title").asText(""));
                String code = problem.hasNonNull("code") ? problem.get("code").asText() : null;
                if (!detail.isBlank()) {
                    return new ApiException(status, code, detail);
                }
            }
        } catch (IOException notJson) {
            // fall through to the status line
        }
        return new ApiException(status, null, "The server answered HTTP " + status + ".");
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return CliHome.JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "The server's answer is not JSON: " + e.getMessage(), e);
        }
    }

    static String write(Object body) {
        try {
            return CliHome.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
