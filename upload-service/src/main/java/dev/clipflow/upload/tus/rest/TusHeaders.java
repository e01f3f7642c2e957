package dev.clipflow.upload.tus.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Every tus answer, errors included, names the protocol version (412 also the versions supported). */
public class TusHeaders {

    @ServerResponseFilter
    public void tusResumable(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/api/tus")) {
            response.getHeaders().putSingle("Tus-Resumable", TusResource.VERSION);
            if (response.getStatus() == 412) {
                response.getHeaders().putSingle("Tus-Version", TusResource.VERSION);
            }
        }
    }
}
