package dev.clipflow.upload.session.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.session.service.DirectAdmissions;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Admits a direct upload before its body is read: Quarkus spools a multipart body to disk before any resource
 * runs, so the checks that refuse it must come first. From the declared {@code Content-Length} (required: 411
 * without) and the caller's token: 413 above the largest file, 429 when the caller's unfinished uploads
 * (direct ones included) are at the limit, 403 when the declared size does not fit the storage quota (a
 * reservation held while the body arrives). The admission ends with the request (see {@link DirectAdmissions}).
 */
@ApplicationScoped
public class DirectUploadGate {

    /** Where the admission id waits for {@link DirectUploadResource}. */
    public static final String ADMISSION = "clipflow.direct-upload.admission";

    private static final String PATH = "/api/uploads/direct";

    private final DirectAdmissions admissions;
    private final JWTParser tokens;
    private final ObjectMapper json;

    public DirectUploadGate(DirectAdmissions admissions, JWTParser tokens, ObjectMapper json) {
        this.admissions = admissions;
        this.tokens = tokens;
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, 100);
    }

    private void admit(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.POST || !PATH.equals(rc.normalizedPath())) {
            rc.next();
            return;
        }
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared < 0) {
            refuse(rc, Problem.of(411, "upload.length_required", "Length Required",
                    "A direct upload needs a Content-Length; send large or streamed files with a chunked or tus upload."));
            return;
        }
        String token = token(rc);
        long bytes = declared;
        rc.request().pause(); // nothing of the body is read while the admission is decided (the router pauses too)
        rc.vertx().<UUID>executeBlocking(() -> {
            UUID owner = owner(token);
            return owner == null ? null : admissions.admit(owner, bytes);
        }, false).onComplete(result -> {
            if (result.failed()) {
                Throwable failure = result.cause();
                if (failure instanceof ProblemException problem) {
                    refuse(rc, problem.problem());
                } else {
                    Log.warnf("Direct upload admission failed: %s", failure.toString());
                    refuse(rc, Problem.of(503, "upload.unavailable", "Service Unavailable",
                            "The upload cannot be admitted right now; try again shortly."));
                }
                return;
            }
            UUID admission = result.result();
            if (admission == null) {
                rc.response().putHeader("WWW-Authenticate", "Bearer");
                refuse(rc, Problem.of(401, "auth.unauthenticated", "Unauthorized", "A valid access token is required."));
                return;
            }
            rc.put(ADMISSION, admission);
            rc.addEndHandler(ended -> rc.vertx().executeBlocking(() -> {
                admissions.finish(admission);
                return null;
            }, false));
            rc.next();
        });
    }

    private UUID owner(String token) {
        if (token == null) {
            return null;
        }
        try {
            JsonWebToken jwt = tokens.parse(token);
            return UUID.fromString(jwt.getSubject());
        } catch (Exception e) {
            return null; // invalid, expired, or not a user's token: the same 401 the resource would give
        }
    }

    private static String token(RoutingContext rc) {
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        Cookie cookie = rc.request().getCookie("access_token");
        return cookie == null ? null : cookie.getValue();
    }

    /** Answers a problem at once and closes the connection (the unread body is not waited for). */
    private void refuse(RoutingContext rc, Problem problem) {
        try {
            rc.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(json.writeValueAsString(problem.at(PATH)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            rc.fail(e);
        }
    }
}
