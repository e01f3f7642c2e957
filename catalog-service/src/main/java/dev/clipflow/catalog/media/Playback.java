package dev.clipflow.catalog.media;

import dev.clipflow.catalog.caption.CaptionService;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What to serve for each media path of a video whose access was already checked: the progressive
 * MP4 (inline or as a download), the HLS tree (with the captions' subtitles group), captions, the thumbnail, the
 * storyboard.
 */
@ApplicationScoped
public class Playback {

    private static final Duration SEGMENT_MAX_AGE = Duration.ofDays(365);

    private final MediaServer server;
    private final CatalogConfig config;
    private final BlobStore store;

    public Playback(MediaServer server, CatalogConfig config, BlobStore store) {
        this.server = server;
        this.config = config;
        this.store = store;
    }

    public Response stream(Video video, MediaServer.Conditions conditions) {
        return server.serve(new MediaServer.Item(mp4(video), video.ownerId, MediaTypes.MP4,
                MediaServer.cacheControl(config.mediaMaxAge(), false), null, true), conditions);
    }

    public Response download(Video video, MediaServer.Conditions conditions) {
        return server.serve(new MediaServer.Item(mp4(video), video.ownerId, MediaTypes.MP4,
                MediaServer.cacheControl(config.mediaMaxAge(), false), downloadName(video), true), conditions);
    }

    /**
     * The audio-only download ({@code .m4a}, AAC in MP4) as an attachment; 404 when the video's source has no audio
     * (or it was transcoded before audio-only downloads were made).
     */
    public Response audio(Video video, MediaServer.Conditions conditions) {
        requireReady(video);
        if (video.audioKey == null) {
            throw new ProblemException(404, "video.no_audio", "Not Found",
                    "This video has no audio track, so there is no audio-only download.");
        }
        return server.serve(new MediaServer.Item(video.audioKey, video.ownerId, MediaTypes.M4A,
                MediaServer.cacheControl(config.mediaMaxAge(), false), audioName(video), true), conditions);
    }

    /**
     * A file of the HLS tree by its path relative to the master playlist (e.g. {@code 480p/seg_001.ts}). While
     * the video is PROCESSING with renditions already playing, the master playlist is built here and lists only
     * those, and only their files are served; their media playlists still grow (not cached).
     */
    public Response hls(Video video, String path, MediaServer.Conditions conditions) {
        if (!video.isPlayable()) {
            requireReady(video);
        }
        String masterKey = video.isReady() ? video.hlsMasterKey : BlobKeys.hlsMaster(video.id);
        if (masterKey == null) {
            throw ProblemException.notFound("HLS of this video");
        }
        if (!video.isReady()) {
            if (path.equals("master.m3u8")) {
                return Response.ok(EarlyMaster.text(video.readyRenditions), MediaTypes.M3U8)
                        .header("Cache-Control", "private, no-cache").build();
            }
            int slash = path.indexOf('/');
            String rendition = slash > 0 ? path.substring(0, slash) : "";
            if (video.readyRenditions.stream().noneMatch(r -> r.name().equals(rendition))) {
                throw ProblemException.notFound("This HLS file");
            }
        }
        return tree(video, masterKey, path, conditions);
    }

    /**
     * A file of the HLS tree of one media root of the video (the URLs a READY video's {@code hlsUrl} gives: they name
     * the root, so a player that loaded the master before a replace switched the video keeps getting the old media's
     * files, never a mix). The video's current root serves as {@link #hls(Video, String, MediaServer.Conditions)};
     * the root it played before its last replace serves until {@link Video#previousRootUntil}; any other: 404.
     */
    public Response hls(Video video, java.util.UUID root, String path, MediaServer.Conditions conditions) {
        if (root.equals(video.mediaRoot())) {
            return hls(video, path, conditions);
        }
        if (video.isReady() && root.equals(video.previousRoot) && video.previousRootUntil != null
                && video.previousRootUntil.isAfter(java.time.Instant.now())) {
            return tree(video, BlobKeys.hlsMaster(root), path, conditions);
        }
        throw ProblemException.notFound("This HLS file");
    }

    private Response tree(Video video, String masterKey, String path, MediaServer.Conditions conditions) {
        if (video.isReady() && video.captions != null && !video.captions.isEmpty()) {
            Response subtitles = subtitles(video, masterKey, path, conditions);
            if (subtitles != null) {
                return subtitles;
            }
        }
        String prefix = masterKey.substring(0, masterKey.lastIndexOf('/') + 1);
        String key;
        try {
            key = BlobKeys.validate(prefix + BlobKeys.validate(path));
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("This HLS file");
        }
        boolean playlist = MediaTypes.isPlaylist(path);
        // a rendition playing before READY grows: a player reloading its playlist must see the new segments
        String cache = playlist ? video.isReady() ? MediaServer.cacheControl(config.playlistMaxAge(), false)
                : "private, no-cache" : MediaServer.cacheControl(SEGMENT_MAX_AGE, true);
        return server.serve(new MediaServer.Item(key, video.ownerId, MediaTypes.of(path), cache, null, true),
                conditions);
    }

    /**
     * The HLS paths captions add to a READY video's tree (see {@link SubtitleGroup}): the master with the subtitles
     * group, each language's media playlist and WebVTT file. Null for every other path.
     */
    private Response subtitles(Video video, String masterKey, String path, MediaServer.Conditions conditions) {
        String playlistCache = MediaServer.cacheControl(config.playlistMaxAge(), false);
        if (path.equals("master.m3u8")) {
            return server.serveText(new MediaServer.Item(masterKey, video.ownerId, MediaTypes.M3U8, playlistCache,
                    null, true), SubtitleGroup.master(text(masterKey), video.captions), conditions);
        }
        if (!path.startsWith(SubtitleGroup.PREFIX)) {
            return null;
        }
        String file = path.substring(SubtitleGroup.PREFIX.length());
        for (Video.CaptionTrack track : video.captions) {
            if (file.equals(track.lang() + ".m3u8")) {
                return server.serveText(new MediaServer.Item(masterKey, video.ownerId, MediaTypes.M3U8, playlistCache,
                        null, true), SubtitleGroup.playlist(track.lang(),
                                video.durationSeconds == null ? 0 : video.durationSeconds), conditions);
            }
            if (file.equals(track.lang() + ".vtt")) {
                return captions(video, track.lang(), conditions);
            }
        }
        throw ProblemException.notFound("This HLS file");
    }

    private String text(String key) {
        long size = store.stat(key).orElseThrow(() -> ProblemException.notFound("This HLS file")).size();
        try (InputStream in = store.open(key, 0, size)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (BlobNotFoundException e) {
            throw ProblemException.notFound("This HLS file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A caption file (WebVTT) of the video, by its canonical language tag. */
    public Response captions(Video video, String lang, MediaServer.Conditions conditions) {
        return server.serve(new MediaServer.Item(CaptionService.key(video.id, lang), video.ownerId,
                "text/vtt; charset=utf-8", MediaServer.cacheControl(config.playlistMaxAge(), false), null, true),
                conditions);
    }

    public Response thumbnail(Video video, MediaServer.Conditions conditions) {
        if (video.thumbnailKey == null) {
            throw ProblemException.notFound("Thumbnail of this video");
        }
        String type = video.thumbnailContentType == null ? "image/jpeg" : video.thumbnailContentType;
        return server.serve(new MediaServer.Item(video.thumbnailKey, video.ownerId, type,
                MediaServer.cacheControl(Duration.ofSeconds(60), false), null, false), conditions);
    }

    /**
     * The storyboard's WebVTT file ({@code sprite} false) or its sprite sheet: once the video is READY (409 before),
     * 404 when its transcode made none. The cues name the sprite by the relative URL {@code storyboard.jpg}, so the
     * same file works under the owner's path and a share link's.
     */
    public Response storyboard(Video video, boolean sprite, MediaServer.Conditions conditions) {
        requireReady(video);
        if (video.storyboardKey == null) {
            throw ProblemException.notFound("Storyboard of this video");
        }
        // beside the VTT, which for a video sharing another's media (dedup) lies under that video's folder
        String key = sprite ? video.storyboardKey.substring(0, video.storyboardKey.lastIndexOf('/') + 1) + "storyboard.jpg"
                : video.storyboardKey;
        return server.serve(new MediaServer.Item(key, video.ownerId, sprite ? "image/jpeg" : "text/vtt; charset=utf-8",
                MediaServer.cacheControl(config.playlistMaxAge(), false), null, true), conditions);
    }

    private static String mp4(Video video) {
        requireReady(video);
        if (video.mp4Key == null) {
            throw ProblemException.notFound("MP4 of this video");
        }
        return video.mp4Key;
    }

    public static void requireReady(Video video) {
        if (!video.isReady()) {
            throw ProblemException.conflict("video.not_ready",
                    "The video is " + video.status + "; it can be played once it is READY.");
        }
    }

    static String audioName(Video video) {
        String name = downloadName(video);
        return name.substring(0, name.length() - ".mp4".length()) + ".m4a";
    }

    static String downloadName(Video video) {
        String base = video.fileName != null && !video.fileName.isBlank() ? video.fileName : video.title;
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        return base + ".mp4";
    }
}
