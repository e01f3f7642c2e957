package dev.clipflow.catalog.video.rest;

import dev.clipflow.contracts.api.Page;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** The signed-in user's videos (placeholder until the feature lands). */
@Path("/api/videos")
@Authenticated
public class VideoResource {

    @GET
    public Page<Object> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return Page.empty(Page.PageRequest.of(page, size));
    }
}
