package dev.clipflow.catalog.media.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.media.MediaServer;
import dev.clipflow.catalog.media.Originals;
import dev.clipflow.catalog.media.Playback;
import dev.clipflow.catalog.media.PlaybackAccess;
import dev.clipflow.catalog.media.ThumbnailService;
import dev.clipflow.catalog.share.ShareService;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.rest.CurrentCaller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.catalog.video.service.VideoService;
import dev.clipflow.catalog.video.service.VideoView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

import java.util.function.Function;

/**
 * A video's media for signed-in users: MP4 stream and download, the audio-only download, the original, HLS,
 * thumbnail, storyboard, direct and share links.
 */
@Path("/api/videos/{id}")
@Authenticated
public class VideoMediaResource {

    public record ShareRequest(Long expiresInSeconds) {
    }

    private final VideoService videos;
    private final Playback playback;
    private final ThumbnailService thumbnails;
    private final ShareService shares;
    private final VideoLinks links;
    private final CurrentCaller caller;
    private final Originals originals;
    private final PlaybackAccess access;

    public VideoMediaResource(VideoService videos, Playback playback, ThumbnailService thumbnails,
            ShareService shares, VideoLinks links, CurrentCaller caller, Originals originals, PlaybackAccess access) {
        this.originals = originals;
        this.access = access;
        this.videos = videos;
        this.playback = playback;
        this.thumbnails = thumbnails;
        this.shares = shares;
        this.links = links;
        this.caller = caller;
    }

    @GET
    @Path("stream")
    @APIResponse(responseCode = "200", description = "The MP4", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> stream(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.stream(video, conditions));
    }

    @HEAD
    @Path("stream")
    @APIResponse(responseCode = "200", description = "The MP4's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response streamHead(@RestPath String id, @Context HttpHeaders headers) {
        return playback.stream(video(id), MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("download")
    @APIResponse(responseCode = "200", description = "The MP4 as an attachment", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> download(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.download(video, conditions));
    }

    @HEAD
    @Path("download")
    @APIResponse(responseCode = "200", description = "The download's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response downloadHead(@RestPath String id, @Context HttpHeaders headers) {
        return playback.download(video(id), MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("audio.m4a")
    @APIResponse(responseCode = "200", description = "The audio alone (AAC in MP4) as an attachment", content = {@Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "404", description = "No such video, or its source has no audio (`video.no_audio`)", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The video is not READY yet", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> audio(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.audio(video, conditions));
    }

    @HEAD
    @Path("audio.m4a")
    @APIResponse(responseCode = "200", description = "The audio download's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response audioHead(@RestPath String id, @Context HttpHeaders headers) {
        return playback.audio(video(id), MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("original")
    @APIResponse(responseCode = "200", description = "The uploaded file, byte for byte, as an attachment, in its uploaded media type (ETag and Repr-Digest: its SHA-256)", content = {@Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "410", description = "The original was deleted after transcoding (the platform keeps no originals)", content = @Content(mediaType = "application/problem+json"))
    public Response original(@RestPath String id, @Context HttpHeaders headers) {
        return originals.serve(originals.owned(VideoAccess.parseId(id), caller.get()),
                MediaServer.Conditions.of(headers, false));
    }

    @HEAD
    @Path("original")
    @APIResponse(responseCode = "200", description = "The original's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response originalHead(@RestPath String id, @Context HttpHeaders headers) {
        return originals.serve(originals.owned(VideoAccess.parseId(id), caller.get()),
                MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("hls/{path: .+}")
    @APIResponse(responseCode = "200", description = "A playlist (application/vnd.apple.mpegurl) or a segment (video/mp2t, video/mp4, audio/mp4; text/vtt: captions)", content = {@Content(mediaType = "application/vnd.apple.mpegurl", schema = @Schema(type = SchemaType.STRING)), @Content(mediaType = "video/mp2t", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> hls(@RestPath String id, @RestPath String path, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.hls(video, path, conditions));
    }

    @GET
    @Path("hls/r/{root}/{path: .+}")
    @APIResponse(responseCode = "200", description = "A file of the HLS tree of one media root of the video (hlsUrl names the current one; the one before the last replace serves for a grace period)", content = {@Content(mediaType = "application/vnd.apple.mpegurl", schema = @Schema(type = SchemaType.STRING)), @Content(mediaType = "video/mp2t", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> hlsOfRoot(@RestPath String id, @RestPath String root, @RestPath String path,
            @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        java.util.UUID media = VideoAccess.parseId(root);
        return play(id, video -> playback.hls(video, media, path, conditions));
    }

    @GET
    @Path("thumbnail")
    @APIResponse(responseCode = "200", description = "The thumbnail", content = {@Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> thumbnail(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.thumbnail(video, conditions));
    }

    @GET
    @Path("storyboard.vtt")
    @APIResponse(responseCode = "200", description = "The storyboard: WebVTT cues whose text is storyboard.jpg#xywh=x,y,w,h (seek-bar previews; the URL is relative to this file)", content = @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "404", description = "No such video, or its transcode made no storyboard", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The video is not READY yet", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> storyboard(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.storyboard(video, false, conditions));
    }

    @GET
    @Path("storyboard.jpg")
    @APIResponse(responseCode = "200", description = "The storyboard's sprite sheet", content = @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "404", description = "No such video, or its transcode made no storyboard", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "The video is not READY yet", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> storyboardSprite(@RestPath String id, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(id, video -> playback.storyboard(video, true, conditions));
    }

    @PUT
    @Path("thumbnail")
    @Consumes({"image/jpeg", "image/png"})
    public VideoView replaceThumbnail(@RestPath String id, @Context HttpHeaders headers, byte[] image) {
        return links.view(thumbnails.replace(VideoAccess.parseId(id), caller.get(),
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), image));
    }

    @GET
    @Path("direct-url")
    public ShareService.DirectUrl directUrl(@RestPath String id) {
        return shares.directUrl(video(id));
    }

    @POST
    @Path("share")
    @APIResponse(responseCode = "201", description = "The share link", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.clipflow.catalog.share.ShareService.ShareLink.class)))
    public Response share(@RestPath String id, ShareRequest request) {
        ShareService.ShareLink link = shares.share(VideoAccess.parseId(id), caller.get(),
                request == null ? null : request.expiresInSeconds());
        return Response.status(201).entity(link).build();
    }

    private Video video(String id) {
        return videos.get(VideoAccess.parseId(id), caller.get());
    }

    /** Media a player fetches over and over: the access decision is cached, see {@link PlaybackAccess}. */
    private Uni<Response> play(String id, Function<Video, Response> serve) {
        return access.play(VideoAccess.parseId(id), caller.get(), serve);
    }
}
