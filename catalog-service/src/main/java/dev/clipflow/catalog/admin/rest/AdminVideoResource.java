package dev.clipflow.catalog.admin.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.video.rest.CurrentCaller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.catalog.video.service.VideoView;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Map;
import java.util.UUID;

/** Admin view over every user's videos. */
@Path("/api/admin/videos")
@RolesAllowed("admin")
public class AdminVideoResource {

    private final VideoService videos;
    private final VideoLinks links;
    private final CurrentCaller caller;

    public AdminVideoResource(VideoService videos, VideoLinks links, CurrentCaller caller) {
        this.videos = videos;
        this.links = links;
        this.caller = caller;
    }

    @GET
    public Page<VideoView> list(@RestQuery String q, @RestQuery String ownerId, @RestQuery String category,
            @RestQuery String status, @RestQuery Integer page, @RestQuery Integer size) {
        Page.PageRequest request;
        try {
            request = Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_value", e.getMessage());
        }
        return videos.adminList(q, owner(ownerId), category, status, request).map(links::view);
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted with its files")
    public Response delete(@RestPath String id) {
        videos.delete(VideoAccess.parseId(id), caller.get());
        return Response.noContent().build();
    }

    /** {@code ?ownerId=} deletes one user's videos, {@code ?confirm=true} every video; answers how many. */
    @DELETE
    public Map<String, Integer> deleteMany(@RestQuery String ownerId, @RestQuery String confirm) {
        UUID owner = owner(ownerId);
        if (owner != null) {
            return Map.of("deleted", videos.deleteByOwner(owner, caller.get().id()));
        }
        if (!"true".equals(confirm)) {
            throw ProblemException.badRequest("admin.confirm_required",
                    "Deleting every video needs ?confirm=true (or ?ownerId= for one user's videos).");
        }
        return Map.of("deleted", videos.deleteEverything(caller.get().id()));
    }

    private static UUID owner(String ownerId) {
        if (ownerId == null || ownerId.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(ownerId.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_value", "ownerId must be a UUID.");
        }
    }
}
