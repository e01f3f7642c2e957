package dev.clipflow.catalog.video.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.live.LiveListener;
import dev.clipflow.catalog.video.live.VideoUpdate;
import dev.clipflow.catalog.video.service.VideoAccess;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

import java.time.Duration;

/**
 * A video's live progress as Server-Sent Events: a {@code snapshot} at once, then every change as it is
 * applied on any catalog replica ({@code progress} with ETA, {@code rendition_ready}, {@code status},
 * {@code deleted}), with a comment every {@code clipflow.catalog.events-keep-alive} (15 s) to keep proxies from closing an idle stream. Same access as
 * {@code GET /api/videos/{id}} (404 for a video the caller may not read).
 */
@Path("/api/videos")
@Authenticated
public class VideoEventsResource {

    private final VideoAccess access;
    private final LiveListener listener;
    private final CurrentCaller caller;
    private final ObjectMapper json;
    private final Duration keepAlive;

    public VideoEventsResource(VideoAccess access, LiveListener listener, CurrentCaller caller, ObjectMapper json,
            CatalogConfig config) {
        this.access = access;
        this.listener = listener;
        this.caller = caller;
        this.json = json;
        this.keepAlive = config.eventsKeepAlive();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Live progress of a video (Server-Sent Events)")
    @APIResponse(responseCode = "200", description = "An event stream: snapshot, then progress, rendition_ready,"
            + " status and deleted events, each with a VideoUpdate as JSON data",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = VideoUpdate.class)))
    public Multi<OutboundSseEvent> events(@RestPath String id, @Context Sse sse) {
        var videoId = VideoAccess.parseId(id);
        var who = caller.get();
        // subscribe before reading the video: an update committed in between is then buffered, not lost
        UnicastProcessor<VideoUpdate> updates = UnicastProcessor.create();
        AutoCloseable subscription = listener.subscribe(videoId, updates::onNext);
        Video video;
        try {
            video = access.readable(videoId, who);
        } catch (RuntimeException e) {
            close(subscription);
            throw e;
        }
        VideoUpdate snapshot = VideoUpdate.of(VideoUpdate.SNAPSHOT, video, null, null);
        Multi<OutboundSseEvent> events = Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(snapshot), updates)
                // no explicit media type: Quarkus would add a non-standard "content-type:" field to each event
                .map(update -> sse.newEventBuilder().name(update.type()).data(text(update)).build());
        Multi<OutboundSseEvent> comments = Multi.createFrom().ticks().startingAfter(keepAlive).every(keepAlive)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(events, comments)
                .onTermination().invoke(() -> close(subscription));
    }

    private String text(VideoUpdate update) {
        try {
            return json.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // removing a subscriber from a map does not fail
        }
    }
}
