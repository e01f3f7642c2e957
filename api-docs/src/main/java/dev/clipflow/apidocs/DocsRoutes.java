package dev.clipflow.apidocs;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** {@code /api/docs} (the address people type) answers with Swagger UI's page at {@code /api/docs/}. */
@Singleton
public class DocsRoutes {

    void routes(@Observes Router router) {
        // a regex: a plain "/api/docs" route would match "/api/docs/" too (Vert.x ignores a trailing slash)
        router.getWithRegex("^/api/docs$").handler(ctx -> ctx.redirect("/api/docs/"));
    }
}
