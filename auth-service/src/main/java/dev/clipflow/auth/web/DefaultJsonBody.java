package dev.clipflow.auth.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Refresh and logout are usually called by browsers with the cookie only and no body (hence no
 * or a meaningless Content-Type): treat such requests as JSON so the optional body reads as absent instead of a 415.
 */
public class DefaultJsonBody {

    private static final Set<String> PATHS = Set.of("/api/auth/refresh", "/api/auth/logout");

    @ServerRequestFilter(preMatching = true)
    public void defaultToJson(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean empty = "0".equals(length) || (length == null && request.getHeaderString("Transfer-Encoding") == null);
        if ((empty || request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null)
                && PATHS.contains(request.getUriInfo().getPath())) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
