package dev.clipflow.catalog.video.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.catalog.video.service.VideoView;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The signed-in user's view of the catalog: list and search, read, edit, delete. */
@Path("/api/videos")
@Authenticated
public class VideoResource {

    /** PATCH body: only the fields present change; an empty description or category clears it. */
    public record VideoPatch(@Size(min = 1, max = 200) String title, @Size(max = 5000) String description,
            @Size(max = 60) String category, Visibility visibility) {
    }

    private final VideoService videos;
    private final VideoLinks links;
    private final CurrentCaller caller;

    public VideoResource(VideoService videos, VideoLinks links, CurrentCaller caller) {
        this.videos = videos;
        this.links = links;
        this.caller = caller;
    }

    @GET
    public Page<VideoView> list(@RestQuery String q, @RestQuery String category, @RestQuery String status,
            @RestQuery String scope, @RestQuery Integer page, @RestQuery Integer size) {
        return videos.list(caller.get(), scope, q, category, status, pageRequest(page, size)).map(links::view);
    }

    @GET
    @Path("{id}")
    public VideoView get(@RestPath String id) {
        return links.view(videos.get(VideoAccess.parseId(id), caller.get()));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public VideoView change(@RestPath String id, @Valid @NotNull VideoPatch patch) {
        return links.view(videos.change(VideoAccess.parseId(id), caller.get(),
                new VideoService.Changes(patch.title(), patch.description(), patch.category(), patch.visibility())));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted with its files")
    public Response delete(@RestPath String id) {
        videos.delete(VideoAccess.parseId(id), caller.get());
        return Response.noContent().build();
    }

    static Page.PageRequest pageRequest(Integer page, Integer size) {
        try {
            return Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_value", e.getMessage());
        }
    }
}
