package dev.clipflow.upload.session.rest;

import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.upload.ingest.ChunkInProgress;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** upload-service's additions to the shared problem mapping: a chunk in progress carries {@code Retry-After}. */
public class UploadProblemMappers {

    @ServerExceptionMapper
    public RestResponse<Problem> chunkInProgress(ChunkInProgress e, UriInfo uri) {
        return RestResponse.ResponseBuilder.<Problem>create(409).entity(e.problem().at(uri.getPath()))
                .type(Problem.MEDIA_TYPE)
                .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
                .build();
    }
}
