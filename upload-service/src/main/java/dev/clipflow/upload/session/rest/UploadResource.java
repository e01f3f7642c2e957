package dev.clipflow.upload.session.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.ingest.IncomingBody;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import dev.clipflow.upload.session.api.CreateUploadRequest;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.service.ChunkService;
import dev.clipflow.upload.session.service.Checksums;
import dev.clipflow.upload.session.service.CompletionService;
import dev.clipflow.upload.session.service.NewUpload;
import dev.clipflow.upload.session.service.SessionService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;
import java.net.URI;
import java.util.UUID;

/** Resumable chunked uploads: open a session, PUT chunks in any order, complete. */
@Path("/api/uploads")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private final SessionService sessions;
    private final ChunkService chunks;
    private final CompletionService completion;
    private final JsonWebToken jwt;
    private final UploadConfig config;

    public UploadResource(SessionService sessions, ChunkService chunks, CompletionService completion, JsonWebToken jwt,
            UploadConfig config) {
        this.config = config;
        this.sessions = sessions;
        this.chunks = chunks;
        this.completion = completion;
        this.jwt = jwt;
    }

    /** The caller's upload sessions, newest first. */
    @GET
    public Page<UploadReplies.Status> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Page.PageRequest request;
        try {
            request = Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) { // a negative page or size was a 500
            throw ProblemException.badRequest("request.invalid_paging", e.getMessage() + ".");
        }
        return sessions.list(Caller.id(jwt), request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The session: send chunks 0..totalChunks-1 of chunkSize bytes", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadReplies.Created.class)))
    public RestResponse<UploadReplies.Created> create(@Valid @NotNull CreateUploadRequest request) {
        SessionService.Opened opened = sessions.open(new NewUpload(Caller.id(jwt), UploadSession.Protocol.CHUNKED,
                request.fileName(), request.size(), request.chunkSize(), request.contentType(), request.sha256(),
                request.title(), request.description(), request.category(), null));
        return RestResponse.ResponseBuilder.<UploadReplies.Created>created(URI.create("/api/uploads/" + opened.session().id))
                .entity(opened.reply()).build();
    }

    @PUT
    @Path("/{uploadId}/chunks/{index}")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = true, content = @Content(mediaType = "*/*",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public UploadReplies.ChunkProgress putChunk(@PathParam("uploadId") UUID uploadId, @PathParam("index") int index,
            @HeaderParam("Content-Length") Long contentLength, @HeaderParam("Digest") String digest,
            @HeaderParam("Content-MD5") String contentMd5, @Context HttpServerRequest request) {
        // the body's first blocks arrive while the chunk is claimed
        try (IncomingBody body = IncomingBody.of(request, config.bodyWindow(), config.bodyTap()).prefetch()) {
            return chunks.putChunk(Caller.id(jwt), uploadId, index, body, contentLength,
                    Checksums.Expected.fromHeaders(digest, contentMd5));
        }
    }

    @GET
    @Path("/{uploadId}")
    public UploadReplies.Status status(@PathParam("uploadId") UUID uploadId) {
        return sessions.status(Caller.id(jwt), uploadId);
    }

    @DELETE
    @Path("/{uploadId}")
    @ResponseStatus(204)
    @APIResponse(responseCode = "204", description = "Cancelled; chunks deleted, storage released")
    public void abort(@PathParam("uploadId") UUID uploadId) {
        sessions.abort(Caller.id(jwt), uploadId);
    }

    @POST
    @Path("/{uploadId}/complete")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Accepted: the video is PROCESSING", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadReplies.Accepted.class)))
    public UploadReplies.Accepted complete(@PathParam("uploadId") UUID uploadId) {
        return completion.complete(Caller.id(jwt), uploadId);
    }
}
