package dev.clipflow.upload.session.rest;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.session.api.ReplacementRequest;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.service.NewUpload;
import dev.clipflow.upload.session.service.SessionService;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;

/**
 * Internal (not routed by the gateway): sessions other services open for a user. catalog-service opens the upload of
 * a video's new file ({@code POST /api/videos/{id}/replace}) here with its service token, after checking the caller
 * may replace the video; the user then sends the bytes through the ordinary chunked or tus API with their own token.
 */
@Path("/internal/uploads")
@RolesAllowed("service")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal-uploads", description = "Internal API for other services (service token)")
public class InternalUploadResource {

    private final SessionService sessions;

    public InternalUploadResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open the upload of a video's new file",
            description = "A session of the owner whose videoId is a new media id; it takes no file name and is stored "
                    + "even when its content repeats another upload; its video.uploaded carries replaces.")
    @APIResponse(responseCode = "201", description = "The session", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = UploadReplies.Replacement.class)))
    public RestResponse<UploadReplies.Replacement> create(@Valid @NotNull ReplacementRequest request) {
        UploadSession.Protocol protocol = "TUS".equals(request.protocol()) ? UploadSession.Protocol.TUS
                : UploadSession.Protocol.CHUNKED;
        String fileName = request.fileName() == null || request.fileName().isBlank() ? "replacement"
                : request.fileName();
        if (protocol == UploadSession.Protocol.TUS && request.chunkSize() != null) {
            throw ProblemException.badRequest("upload.invalid_chunk_size", "A tus upload takes no chunkSize.");
        }
        SessionService.Opened opened = sessions.open(new NewUpload(request.ownerId(), protocol, fileName,
                request.size(), request.chunkSize(), request.contentType(), request.sha256(), null, null, null, null,
                request.replaces()));
        UploadSession session = opened.session();
        UploadReplies.Replacement reply = new UploadReplies.Replacement(session.id, session.videoId,
                protocol.name(), session.chunkSize, session.totalChunks, session.sizeBytes, session.expiresAt,
                protocol == UploadSession.Protocol.TUS ? "/api/tus/" + session.id : null,
                opened.storage() == null ? null : opened.storage().percentUsed(),
                opened.storage() == null ? null : opened.storage().alert());
        return RestResponse.ResponseBuilder.<UploadReplies.Replacement>created(
                URI.create("/api/uploads/" + session.id)).entity(reply).build();
    }
}
