package dev.clipflow.catalog.support;

import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.VideoRepository;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.catalog.video.service.VideoLifecycle;
import dev.clipflow.contracts.events.VideoTranscoded;
import dev.clipflow.contracts.events.VideoUploaded;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds test data through the service's own event handlers (the same code the Kafka consumers
 * run), with real FFmpeg output stored under {@link BlobKeys}.
 */
@ApplicationScoped
public class Fixtures {

    private final VideoLifecycle lifecycle;
    private final VideoRepository videos;
    private final BlobStore store;

    public Fixtures(VideoLifecycle lifecycle, VideoRepository videos, BlobStore store) {
        this.lifecycle = lifecycle;
        this.videos = videos;
        this.store = store;
    }

    public static RequestSpecification as(UUID user) {
        return RestAssured.given().auth().oauth2(JwtResource.tokens().user(user));
    }

    public static RequestSpecification asAdmin(UUID admin) {
        return RestAssured.given().auth().oauth2(JwtResource.tokens().admin(admin));
    }

    /** A video that was uploaded and is being transcoded. */
    public UUID processing(UUID owner, String title, String fileName, String description, String category) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> lifecycle.uploaded(new VideoUploaded(id, owner, UUID.randomUUID(),
                fileName, "video/mp4", 12345, null, BlobKeys.original(id), title, description, category, Instant.now())));
        return id;
    }

    /** A READY video with real MP4, HLS and thumbnail in the store. */
    public UUID ready(UUID owner, String title, Visibility visibility) {
        return ready(owner, title, title.replace(' ', '_') + ".mov", null, null, visibility);
    }

    public UUID ready(UUID owner, String title, String fileName, String description, String category,
            Visibility visibility) {
        return transcoded(processing(owner, title, fileName, description, category), owner, visibility, false, true);
    }

    /** A READY video whose transcode also made a storyboard (sprite and WebVTT in the store). */
    public UUID readyWithStoryboard(UUID owner, String title, Visibility visibility) {
        return transcoded(processing(owner, title, title + ".mov", null, null), owner, visibility, true, true);
    }

    /**
     * A READY video whose upload stored {@code original} (as upload-service does: at {@link BlobKeys#original},
     * its SHA-256 in {@code video.uploaded}).
     */
    public UUID readyWithOriginal(UUID owner, String fileName, String contentType, byte[] original) {
        UUID id = UUID.randomUUID();
        store.put(BlobKeys.original(id), new java.io.ByteArrayInputStream(original), original.length, contentType);
        String sha256;
        try {
            sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(original));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        QuarkusTransaction.requiringNew().run(() -> lifecycle.uploaded(new VideoUploaded(id, owner, UUID.randomUUID(),
                fileName, contentType, original.length, sha256, BlobKeys.original(id), null, null, null, Instant.now())));
        return transcoded(id, owner, Visibility.PRIVATE, false, true);
    }

    /** A READY video whose source had no audio: no audio-only download. */
    public UUID readyWithoutAudio(UUID owner, String title) {
        return transcoded(processing(owner, title, title + ".mov", null, null), owner, Visibility.PRIVATE, false,
                false);
    }

    /** A READY video; with audio: its audio-only download stored and named too, like a source with sound. */
    private UUID transcoded(UUID id, UUID owner, Visibility visibility, boolean storyboard, boolean audio) {
        Media media = Media.get();
        long mp4Size = storeMedia(id, storyboard, audio);
        QuarkusTransaction.requiringNew().run(() -> {
            lifecycle.transcoded(new VideoTranscoded(UUID.randomUUID(), id, owner, Media.DURATION, 320, 240, "h264",
                    audio ? "aac" : null, BlobKeys.mp4(id), mp4Size, BlobKeys.hlsMaster(id), BlobKeys.thumbnail(id),
                    List.of(new VideoTranscoded.Rendition("240p", 320, 240, 400_000, BlobKeys.hls(id, "240p/index.m3u8"))),
                    mp4Size * 3, null, null, storyboard ? BlobKeys.storyboardVtt(id) : null,
                    audio ? BlobKeys.audio(id) : null));
            Video video = videos.findById(id);
            video.visibility = visibility;
        });
        return id;
    }

    /** Stores the test media's transcode outputs under {@code videos/{id}/} (as transcode-service does); the MP4's size. */
    public long storeMedia(UUID id, boolean storyboard) {
        return storeMedia(id, storyboard, false);
    }

    /** The same, with the audio-only download when {@code audio} (a source with sound). */
    public long storeMedia(UUID id, boolean storyboard, boolean audio) {
        Media media = Media.get();
        if (storyboard) {
            store.putFile(BlobKeys.storyboardSprite(id), media.storyboardSprite, "image/jpeg");
            store.putFile(BlobKeys.storyboardVtt(id), media.storyboardVtt, "text/vtt");
        }
        if (audio) {
            store.putFile(BlobKeys.audio(id), media.audio, "audio/mp4");
        }
        store.putFile(BlobKeys.mp4(id), media.mp4, "video/mp4");
        store.putFile(BlobKeys.thumbnail(id), media.thumbnail, "image/jpeg");
        for (String file : media.hlsFiles()) {
            store.putFile(BlobKeys.hls(id, file), media.hls.resolve(file), null);
        }
        try {
            return Files.size(media.mp4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores the files of one rendition of the test media (no master playlist), as a transcoder does early. */
    public void storeRendition(UUID id, String name) {
        Media media = Media.get();
        for (String file : media.hlsFiles()) {
            if (file.startsWith(name + "/")) {
                store.putFile(BlobKeys.hls(id, file), media.hls.resolve(file), null);
            }
        }
    }

    public boolean exists(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> videos.findById(id) != null);
    }

    public long count() {
        return QuarkusTransaction.requiringNew().call(() -> videos.count());
    }
}
