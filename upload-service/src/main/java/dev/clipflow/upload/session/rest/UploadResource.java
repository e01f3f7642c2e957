package dev.clipflow.upload.session.rest;

import dev.clipflow.contracts.api.Page;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** The signed-in user's upload sessions (placeholder until the feature lands). */
@Path("/api/uploads")
@Authenticated
public class UploadResource {

    @GET
    public Page<Object> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return Page.empty(Page.PageRequest.of(page, size));
    }
}
