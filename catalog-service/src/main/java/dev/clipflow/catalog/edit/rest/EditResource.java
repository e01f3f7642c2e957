package dev.clipflow.catalog.edit.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.edit.EditService;
import dev.clipflow.catalog.video.rest.CurrentCaller;
import dev.clipflow.catalog.video.service.VideoAccess;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** Trim and merge requests: 202 with the job and the video it will produce. */
@Path("/api/videos")
@Authenticated
public class EditResource {

    public record TrimRequest(@NotNull Double startSeconds, @NotNull Double endSeconds, @Size(max = 200) String title) {
    }

    public record MergeRequest(@NotNull List<UUID> videoIds, @Size(max = 200) String title) {
    }

    private final EditService edits;
    private final CurrentCaller caller;

    public EditResource(EditService edits, CurrentCaller caller) {
        this.edits = edits;
        this.caller = caller;
    }

    @POST
    @Path("{id}/trim")
    @APIResponse(responseCode = "202", description = "Accepted: a new video (PROCESSING) and its job", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.clipflow.catalog.edit.EditService.Accepted.class)))
    public Response trim(@RestPath String id, @Valid @NotNull TrimRequest request) {
        return Response.accepted(edits.trim(VideoAccess.parseId(id), caller.get(), request.startSeconds(),
                request.endSeconds(), request.title())).build();
    }

    @POST
    @Path("merge")
    @APIResponse(responseCode = "202", description = "Accepted: a new video (PROCESSING) and its job", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.clipflow.catalog.edit.EditService.Accepted.class)))
    public Response merge(@Valid @NotNull MergeRequest request) {
        return Response.accepted(edits.merge(request.videoIds(), caller.get(), request.title())).build();
    }
}
