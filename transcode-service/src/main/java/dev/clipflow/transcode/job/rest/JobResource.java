package dev.clipflow.transcode.job.rest;

import dev.clipflow.contracts.api.Page;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** The signed-in user's transcode jobs (placeholder until the feature lands). */
@Path("/api/jobs")
@Authenticated
public class JobResource {

    @GET
    public Page<Object> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return Page.empty(Page.PageRequest.of(page, size));
    }
}
