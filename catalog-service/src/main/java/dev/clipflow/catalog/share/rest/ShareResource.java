package dev.clipflow.catalog.share.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.caption.CaptionService;
import dev.clipflow.catalog.media.MediaServer;
import dev.clipflow.catalog.media.Playback;
import dev.clipflow.catalog.media.PlaybackAccess;
import dev.clipflow.catalog.share.ShareService;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.service.VideoLinks;
import dev.clipflow.catalog.video.service.VideoView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

import java.util.function.Function;

/**
 * What a share link opens, without login: metadata, MP4 stream, audio-only download, HLS tree, captions, thumbnail,
 * storyboard.
 */
@Path("/api/share/{token}")
@PermitAll
public class ShareResource {

    private final ShareService shares;
    private final Playback playback;
    private final VideoLinks links;
    private final CaptionService captions;
    private final PlaybackAccess access;

    public ShareResource(ShareService shares, Playback playback, VideoLinks links, CaptionService captions,
            PlaybackAccess access) {
        this.access = access;
        this.captions = captions;
        this.shares = shares;
        this.playback = playback;
        this.links = links;
    }

    @GET
    public VideoView metadata(@RestPath String token) {
        return links.sharedView(shares.resolve(token), token);
    }

    @GET
    @Path("stream")
    @APIResponse(responseCode = "200", description = "The MP4", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> stream(@RestPath String token, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.stream(video, conditions));
    }

    @HEAD
    @Path("stream")
    @APIResponse(responseCode = "200", description = "The MP4's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response streamHead(@RestPath String token, @Context HttpHeaders headers) {
        return playback.stream(shares.resolve(token), MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("audio.m4a")
    @APIResponse(responseCode = "200", description = "The audio alone (AAC in MP4) as an attachment", content = {@Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range", content = {@Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    @APIResponse(responseCode = "404", description = "No such link, or the video's source has no audio (`video.no_audio`)", content = @Content(mediaType = "application/problem+json"))
    public Uni<Response> audio(@RestPath String token, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.audio(video, conditions));
    }

    @HEAD
    @Path("audio.m4a")
    @APIResponse(responseCode = "200", description = "The audio download's headers")
    @APIResponse(responseCode = "206", description = "The range's headers")
    public Response audioHead(@RestPath String token, @Context HttpHeaders headers) {
        return playback.audio(shares.resolve(token), MediaServer.Conditions.of(headers, true));
    }

    @GET
    @Path("hls/{path: .+}")
    @APIResponse(responseCode = "200", description = "A playlist (application/vnd.apple.mpegurl) or a segment (video/mp2t, video/mp4, audio/mp4; text/vtt: captions)", content = {@Content(mediaType = "application/vnd.apple.mpegurl", schema = @Schema(type = SchemaType.STRING)), @Content(mediaType = "video/mp2t", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> hls(@RestPath String token, @RestPath String path, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.hls(video, path, conditions));
    }

    @GET
    @Path("hls/r/{root}/{path: .+}")
    @APIResponse(responseCode = "200", description = "A file of the HLS tree of one media root of the video (hlsUrl names the current one; the one before the last replace serves for a grace period)", content = {@Content(mediaType = "application/vnd.apple.mpegurl", schema = @Schema(type = SchemaType.STRING)), @Content(mediaType = "video/mp2t", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "video/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "audio/mp4", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> hlsOfRoot(@RestPath String token, @RestPath String root, @RestPath String path,
            @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        java.util.UUID media = dev.clipflow.catalog.video.service.VideoAccess.parseId(root);
        return play(token, video -> playback.hls(video, media, path, conditions));
    }

    @GET
    @Path("captions/{lang}")
    @APIResponse(responseCode = "200", description = "The captions as WebVTT", content = @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> captions(@RestPath String token, @RestPath String lang, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.captions(video, captions.track(video, lang).lang(), conditions));
    }

    @GET
    @Path("storyboard.vtt")
    @APIResponse(responseCode = "200", description = "The storyboard: WebVTT cues whose text is storyboard.jpg#xywh=x,y,w,h (seek-bar previews; the URL is relative to this file)", content = @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> storyboard(@RestPath String token, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.storyboard(video, false, conditions));
    }

    @GET
    @Path("storyboard.jpg")
    @APIResponse(responseCode = "200", description = "The storyboard's sprite sheet", content = @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> storyboardSprite(@RestPath String token, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.storyboard(video, true, conditions));
    }

    @GET
    @Path("thumbnail")
    @APIResponse(responseCode = "200", description = "The thumbnail", content = {@Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")), @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "304", description = "Not modified")
    public Uni<Response> thumbnail(@RestPath String token, @Context HttpHeaders headers) {
        MediaServer.Conditions conditions = MediaServer.Conditions.of(headers, false);
        return play(token, video -> playback.thumbnail(video, conditions));
    }

    /** The link is checked on every request (signature, expiry); its video's row may come from the cache. */
    private Uni<Response> play(String token, Function<Video, Response> serve) {
        return access.playShared(shares.videoOf(token), serve);
    }
}
