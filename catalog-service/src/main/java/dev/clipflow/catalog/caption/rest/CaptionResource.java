package dev.clipflow.catalog.caption.rest;

import dev.clipflow.catalog.caption.CaptionService;
import dev.clipflow.catalog.media.MediaServer;
import dev.clipflow.catalog.media.Playback;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.rest.CurrentCaller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.catalog.video.service.VideoView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;

/** A video's captions: list, put (SRT or WebVTT, stored as WebVTT), fetch, delete. */
@Path("/api/videos/{id}/captions")
@Authenticated
public class CaptionResource {

    private final CaptionService captions;
    private final VideoService videos;
    private final Playback playback;
    private final VideoLinks links;
    private final CurrentCaller caller;

    public CaptionResource(CaptionService captions, VideoService videos, Playback playback, VideoLinks links,
            CurrentCaller caller) {
        this.captions = captions;
        this.videos = videos;
        this.playback = playback;
        this.links = links;
        this.caller = caller;
    }

    @GET
    public List<VideoView.Caption> list(@RestPath String id) {
        return links.view(video(id)).captions();
    }

    @PUT
    @Path("{lang}")
    @Consumes("*/*")
    @RequestBody(content = {@Content(mediaType = "application/x-subrip", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "The captions of that language were replaced", content = @Content(mediaType = "application/json", schema = @Schema(implementation = VideoView.Caption.class)))
    @APIResponse(responseCode = "201", description = "The captions of a new language were added", content = @Content(mediaType = "application/json", schema = @Schema(implementation = VideoView.Caption.class)))
    @APIResponse(responseCode = "400", description = "Not SRT or WebVTT (detail and the extension member line name the wrong line), or not a BCP 47 language tag", content = @Content(mediaType = "application/problem+json"))
    public Response put(@RestPath String id, @RestPath String lang, @Context HttpHeaders headers, byte[] body) {
        CaptionService.Put put = captions.put(VideoAccess.parseId(id), caller.get(), lang,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
        String tag = CaptionService.language(lang);
        VideoView.Caption caption = links.view(put.video()).captions().stream()
                .filter(c -> c.lang().equals(tag)).findFirst().orElseThrow();
        return Response.status(put.created() ? 201 : 200).entity(caption).build();
    }

    @GET
    @Path("{lang}")
    @APIResponse(responseCode = "200", description = "The captions as WebVTT", content = @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified")
    public Response get(@RestPath String id, @RestPath String lang, @Context HttpHeaders headers) {
        Video video = video(id);
        return playback.captions(video, captions.track(video, lang).lang(), MediaServer.Conditions.of(headers, false));
    }

    @DELETE
    @Path("{lang}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@RestPath String id, @RestPath String lang) {
        captions.delete(VideoAccess.parseId(id), caller.get(), lang);
        return Response.noContent().build();
    }

    private Video video(String id) {
        return videos.get(VideoAccess.parseId(id), caller.get());
    }
}
