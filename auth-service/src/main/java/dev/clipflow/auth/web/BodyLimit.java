package dev.clipflow.auth.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.contracts.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;


/**
 * Refuses request bodies larger than the JSON limit before they are read, with a 413 problem (the HTTP
 * layer's own limit answers without a problem body). auth-service only takes small JSON and forms.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final ObjectMapper json;

    public BodyLimit(AuthConfig config, ObjectMapper json) {
        this.maxBytes = config.maxBodyBytes();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::limit);
    }

    private void limit(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared <= maxBytes) {
            rc.next();
            return;
        }
        Problem problem = Problem.of(413, "request.too_large", "Content Too Large",
                "The request body may have at most " + maxBytes + " bytes.").at(rc.request().path());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":413,\"code\":\"request.too_large\"}";
        }
        rc.response().setStatusCode(413)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
