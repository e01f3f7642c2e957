package dev.clipflow.upload.session.rest;

import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.upload.config.UploadConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The HTTP body limit is raised to the largest file for the upload routes; JSON bodies keep a small
 * limit of their own ({@code clipflow.upload.max-json-body}).
 */
public class BodyLimits {

    private final UploadConfig config;

    public BodyLimits(UploadConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public Response jsonBodyLimit(ContainerRequestContext request, UriInfo uri) {
        MediaType type = request.getMediaType();
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && length != null) {
            try {
                if (Long.parseLong(length.trim()) > config.maxJsonBody()) {
                    return Response.status(413).type(Problem.MEDIA_TYPE)
                            .entity(Problem.of(413, "http.413", "Payload Too Large",
                                    "A JSON body may have at most " + config.maxJsonBody() + " bytes.").at(uri.getPath()))
                            .build();
                }
            } catch (NumberFormatException ignored) {
                // Vert.x rejects malformed lengths itself
            }
        }
        return null;
    }

}
