package dev.clipflow.catalog.replace.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clipflow.catalog.replace.ReplaceService;
import dev.clipflow.catalog.video.rest.CurrentCaller;
import dev.clipflow.catalog.video.service.VideoAccess;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Replacing a video's file: opens the upload of the new file; the video switches to it once transcoded. */
@Path("/api/videos")
@Authenticated
@Blocking
public class ReplaceResource {

    /**
     * The new file. {@code protocol}: {@code chunked} (default: send chunks to {@code /api/uploads/{uploadId}}) or
     * {@code tus} (PATCH {@code tusUrl}).
     */
    public record ReplaceRequest(
            @NotNull @Positive Long size,
            @Size(max = 255) String fileName,
            @Positive Long chunkSize,
            @Size(max = 200) String contentType,
            @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256,
            @Pattern(regexp = "^(chunked|tus|CHUNKED|TUS)$", message = "must be chunked or tus") String protocol) {
    }

    /** 201: the upload session of the new file, as {@code POST /api/uploads} answers it, with the media id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplaceSession(UUID videoId,
            @Schema(description = "The new file's media id (its upload's videoId)",
                    example = "c41d8e2a-7b3f-4a90-8e15-2f6d9b0a7c38") UUID mediaId,
            UUID uploadId,
            @Schema(example = "CHUNKED") String protocol,
            long chunkSize, int totalChunks, Instant expiresAt,
            @Schema(description = "Chunks go to {uploadUrl}/chunks/{index}, then POST {uploadUrl}/complete",
                    example = "/api/uploads/5e2a7c90-1b4d-4f36-8e0c-9a3d7b6f1c25") String uploadUrl,
            @Schema(description = "tus sessions: where the PATCHes go",
                    example = "/api/tus/5e2a7c90-1b4d-4f36-8e0c-9a3d7b6f1c25") String tusUrl,
            Double storagePercentUsed, Boolean storageAlert) {
    }

    private final ReplaceService replace;
    private final CurrentCaller caller;

    public ReplaceResource(ReplaceService replace, CurrentCaller caller) {
        this.replace = replace;
        this.caller = caller;
    }

    @POST
    @Path("{id}/replace")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the video's file",
            description = "Opens the upload of a new file (chunked or tus, as POST /api/uploads). The video keeps "
                    + "playing its current file until the new one is transcoded, then switches to it at once: id, "
                    + "title, shares and links stay, HLS players holding the old playlists finish with old segments, "
                    + "the old files are deleted after a grace period and the quota charges the new size instead "
                    + "of the old one. Owner only.")
    @APIResponse(responseCode = "201", description = "The upload session of the new file", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = ReplaceSession.class)))
    @APIResponse(responseCode = "403", description = "Not the owner (video.not_owner, video.replace_owner_only), or "
            + "the new file does not fit the storage quota (quota.storage_exceeded)")
    @APIResponse(responseCode = "409", description = "The video is still processing or a replace is in flight "
            + "(video.replace_in_flight)")
    public Response replace(@RestPath String id, @Valid @NotNull ReplaceRequest request) {
        String protocol = request.protocol() == null ? "CHUNKED" : request.protocol().toUpperCase(java.util.Locale.ROOT);
        ReplaceService.Started started = replace.start(VideoAccess.parseId(id), caller.get(), request.fileName(),
                request.size(), request.chunkSize(), request.contentType(), request.sha256(), protocol);
        var s = started.session();
        String uploadUrl = "/api/uploads/" + s.uploadId();
        ReplaceSession body = new ReplaceSession(started.videoId(), s.mediaId(), s.uploadId(), s.protocol(),
                s.chunkSize(), s.totalChunks(), s.expiresAt(), uploadUrl, s.tusUrl(), s.storagePercentUsed(),
                s.storageAlert());
        return Response.created(URI.create(s.tusUrl() != null ? s.tusUrl() : uploadUrl)).entity(body).build();
    }
}
