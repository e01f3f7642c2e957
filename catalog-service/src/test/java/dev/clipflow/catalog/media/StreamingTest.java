package dev.clipflow.catalog.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.support.Media;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
public class StreamingTest {

    @Inject
    Fixtures fixtures;

    private byte[] mp4() throws Exception {
        return Files.readAllBytes(Media.get().mp4);
    }

    @Test
    void wholeFileWithValidatorsAndCaching() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Full", Visibility.PRIVATE);
        byte[] file = mp4();
        Response response = as(owner).get("/api/videos/{id}/stream", id);
        response.then().statusCode(200)
                .header("Content-Type", "video/mp4")
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(file.length))
                .header("ETag", notNullValue())
                .header("Last-Modified", notNullValue())
                .header("Cache-Control", containsString("private"))
                .header("Content-Disposition", nullValue());
        assertThat(response.asByteArray()).isEqualTo(file);
    }

    @Test
    void singleRanges() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Ranges", Visibility.PRIVATE);
        byte[] file = mp4();
        int len = file.length;

        Response first = as(owner).header("Range", "bytes=0-99").get("/api/videos/{id}/stream", id);
        first.then().statusCode(206).header("Content-Range", "bytes 0-99/" + len).header("Content-Length", "100");
        assertThat(first.asByteArray()).isEqualTo(Arrays.copyOfRange(file, 0, 100));

        Response suffix = as(owner).header("Range", "bytes=-100").get("/api/videos/{id}/stream", id);
        suffix.then().statusCode(206).header("Content-Range", "bytes " + (len - 100) + "-" + (len - 1) + "/" + len);
        assertThat(suffix.asByteArray()).isEqualTo(Arrays.copyOfRange(file, len - 100, len));

        Response open = as(owner).header("Range", "bytes=1000-").get("/api/videos/{id}/stream", id);
        open.then().statusCode(206).header("Content-Range", "bytes 1000-" + (len - 1) + "/" + len)
                .header("Content-Length", String.valueOf(len - 1000));
        assertThat(open.asByteArray()).isEqualTo(Arrays.copyOfRange(file, 1000, len));

        Response clamped = as(owner).header("Range", "bytes=" + (len - 10) + "-" + (len + 5000))
                .get("/api/videos/{id}/stream", id);
        clamped.then().statusCode(206).header("Content-Range", "bytes " + (len - 10) + "-" + (len - 1) + "/" + len);
        assertThat(clamped.asByteArray()).isEqualTo(Arrays.copyOfRange(file, len - 10, len));

        Response lastByte = as(owner).header("Range", "bytes=" + (len - 1) + "-" + (len - 1))
                .get("/api/videos/{id}/stream", id);
        lastByte.then().statusCode(206).header("Content-Length", "1");
        assertThat(lastByte.asByteArray()).containsExactly(file[len - 1]);
    }

    @Test
    void unsatisfiableRangeIs416WithTheLength() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "416", Visibility.PRIVATE);
        int len = mp4().length;
        as(owner).header("Range", "bytes=" + len + "-").get("/api/videos/{id}/stream", id).then().statusCode(416)
                .header("Content-Range", "bytes */" + len)
                .body("code", equalTo("media.range_not_satisfiable"));
        as(owner).header("Range", "bytes=-0").get("/api/videos/{id}/stream", id).then().statusCode(416)
                .header("Content-Range", "bytes */" + len);
    }

    @Test
    void malformedAndMultipleRangesGetTheWholeFile() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Multi", Visibility.PRIVATE);
        int len = mp4().length;
        for (String range : List.of("bytes=0-1,5-9", "bytes=9-1", "pages=1-2", "bytes=abc")) {
            as(owner).header("Range", range).get("/api/videos/{id}/stream", id).then().statusCode(200)
                    .header("Content-Length", String.valueOf(len));
        }
    }

    @Test
    void conditionalRequests() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Conditional", Visibility.PRIVATE);
        Response full = as(owner).get("/api/videos/{id}/stream", id);
        String etag = full.header("ETag");
        String modified = full.header("Last-Modified");

        as(owner).header("Range", "bytes=0-9").header("If-Range", etag).get("/api/videos/{id}/stream", id)
                .then().statusCode(206).header("Content-Length", "10");
        as(owner).header("Range", "bytes=0-9").header("If-Range", modified).get("/api/videos/{id}/stream", id)
                .then().statusCode(206);
        as(owner).header("Range", "bytes=0-9").header("If-Range", "\"stale\"").get("/api/videos/{id}/stream", id)
                .then().statusCode(200).header("Content-Length", full.header("Content-Length"));
        as(owner).header("Range", "bytes=0-9").header("If-Range", "Tue, 01 Jan 2002 00:00:00 GMT")
                .get("/api/videos/{id}/stream", id).then().statusCode(200);

        as(owner).header("If-None-Match", etag).get("/api/videos/{id}/stream", id).then().statusCode(304)
                .header("ETag", etag);
        as(owner).header("If-None-Match", "\"other\"").get("/api/videos/{id}/stream", id).then().statusCode(200);
        as(owner).header("If-Modified-Since", modified).get("/api/videos/{id}/stream", id).then().statusCode(304);
    }

    @Test
    void headAnswersHeadersOnly() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Head", Visibility.PRIVATE);
        int len = mp4().length;
        Response head = as(owner).head("/api/videos/{id}/stream", id);
        head.then().statusCode(200).header("Accept-Ranges", "bytes").header("Content-Type", "video/mp4")
                .header("Content-Length", String.valueOf(len));
        assertThat(head.asByteArray()).isEmpty();
        as(owner).header("Range", "bytes=0-9").head("/api/videos/{id}/stream", id).then().statusCode(206)
                .header("Content-Range", "bytes 0-9/" + len);
        as(owner).head("/api/videos/{id}/download", id).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment"));
    }

    @Test
    void downloadIsAnAttachmentWithRanges() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "My trip", "my trip.mov", null, null, Visibility.PRIVATE);
        byte[] file = mp4();
        Response download = as(owner).get("/api/videos/{id}/download", id);
        download.then().statusCode(200).header("Content-Type", "video/mp4")
                .header("Content-Disposition", containsString("attachment; filename=\"my trip.mp4\""));
        assertThat(download.asByteArray()).isEqualTo(file);
        as(owner).header("Range", "bytes=10-19").get("/api/videos/{id}/download", id).then().statusCode(206)
                .header("Content-Range", "bytes 10-19/" + file.length);
    }

    /**
     * The audio-only download: listed on the video, an M4A attachment named after the upload, with ranges and
     * conditional requests, through a share link too.
     */
    @Test
    void audioOnlyDownloadIsAnM4aAttachmentWithRangesAlsoThroughAShareLink() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "My song", "my song.mov", null, null, Visibility.PRIVATE);
        byte[] file = Files.readAllBytes(Media.get().audio);
        as(owner).get("/api/videos/{id}", id).then().statusCode(200)
                .body("audioUrl", org.hamcrest.Matchers.endsWith("/api/videos/" + id + "/audio.m4a"));
        Response audio = as(owner).get("/api/videos/{id}/audio.m4a", id);
        audio.then().statusCode(200).header("Content-Type", "audio/mp4").header("Accept-Ranges", "bytes")
                .header("Content-Disposition", containsString("attachment; filename=\"my song.m4a\""));
        assertThat(audio.asByteArray()).isEqualTo(file);
        String etag = audio.header("ETag");
        as(owner).header("If-None-Match", etag).get("/api/videos/{id}/audio.m4a", id).then().statusCode(304);
        as(owner).header("Range", "bytes=4-11").get("/api/videos/{id}/audio.m4a", id).then().statusCode(206)
                .header("Content-Range", "bytes 4-11/" + file.length).body(equalTo("ftypM4A "));
        as(owner).head("/api/videos/{id}/audio.m4a", id).then().statusCode(200)
                .header("Content-Length", String.valueOf(file.length));
        as(UUID.randomUUID()).get("/api/videos/{id}/audio.m4a", id).then().statusCode(404);

        String token = as(owner).contentType("application/json").body("{}").post("/api/videos/{id}/share", id)
                .then().statusCode(201).extract().path("token");
        RestAssured.get("/api/share/{t}", token).then().statusCode(200)
                .body("audioUrl", org.hamcrest.Matchers.endsWith("/api/share/" + token + "/audio.m4a"));
        assertThat(RestAssured.get("/api/share/{t}/audio.m4a", token).then().statusCode(200)
                .header("Content-Type", "audio/mp4").extract().asByteArray()).isEqualTo(file);
    }

    @Test
    void aVideoWithoutAudioHasNoAudioDownload() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.readyWithoutAudio(owner, "Silent");
        as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("audioUrl", nullValue());
        as(owner).get("/api/videos/{id}/audio.m4a", id).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("video.no_audio"))
                .body("detail", containsString("no audio"));
        as(owner).head("/api/videos/{id}/audio.m4a", id).then().statusCode(404);
    }

    @Test
    void hlsTreeIsServedWithRelativeUrisAndPlayable() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "HLS", Visibility.PRIVATE);
        String base = "/api/videos/" + id + "/hls/";
        String master = as(owner).get(base + "master.m3u8").then().statusCode(200)
                .header("Content-Type", containsString("application/vnd.apple.mpegurl"))
                .header("Cache-Control", containsString("max-age=5"))
                .extract().asString();
        List<String> variants = uris(master);
        assertThat(variants).containsExactly("240p/index.m3u8");
        String playlist = as(owner).get(base + variants.get(0)).then().statusCode(200).extract().asString();
        assertThat(playlist).contains("#EXT-X-ENDLIST");
        List<String> segments = uris(playlist);
        assertThat(segments).isNotEmpty().allMatch(s -> !s.startsWith("/") && !s.contains("://"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String segment : segments) {
            byte[] bytes = as(owner).get(base + "240p/" + segment).then().statusCode(200)
                    .header("Content-Type", "video/mp2t")
                    .header("Cache-Control", containsString("immutable"))
                    .extract().asByteArray();
            assertThat(bytes[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
            all.write(bytes);
            assertThat(bytes).isEqualTo(Files.readAllBytes(Media.get().hls.resolve("240p").resolve(segment)));
        }
        as(owner).header("Range", "bytes=0-187").get(base + "240p/" + segments.get(0)).then().statusCode(206);
        as(owner).get(base + "240p/missing.ts").then().statusCode(404);
        as(owner).urlEncodingEnabled(false).get(base + "240p/%2e%2e/%2e%2e/video.mp4").then().statusCode(404);
    }

    @Test
    void aVideoMadePrivateStopsPlayingForOthersAtOnceAndADeletedOneForEveryone() {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Public for a while", Visibility.PLATFORM);
        String segment = "/api/videos/" + id + "/hls/240p/seg_000.ts";
        as(viewer).get(segment).then().statusCode(200);
        as(owner).contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("visibility", "PRIVATE"))
                .patch("/api/videos/{id}", id).then().statusCode(200);
        // the row this replica cached for playback is dropped when the change commits
        as(viewer).get(segment).then().statusCode(404);
        as(viewer).get("/api/videos/{id}/stream", id).then().statusCode(404);
        as(owner).get(segment).then().statusCode(200);
        as(owner).delete("/api/videos/{id}", id).then().statusCode(204);
        as(owner).get(segment).then().statusCode(404);
        as(owner).get("/api/videos/{id}/stream", id).then().statusCode(404);
    }

    @Test
    void thumbnailGetAndReplace() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Thumb", Visibility.PRIVATE);
        byte[] jpeg = as(owner).get("/api/videos/{id}/thumbnail", id).then().statusCode(200)
                .header("Content-Type", "image/jpeg").extract().asByteArray();
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);

        byte[] png = new byte[200];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, png, 0, 8);
        as(owner).contentType("image/png").body(png).put("/api/videos/{id}/thumbnail", id).then().statusCode(200)
                .body("thumbnailUrl", containsString("/thumbnail"));
        byte[] served = as(owner).get("/api/videos/{id}/thumbnail", id).then().statusCode(200)
                .header("Content-Type", "image/png").extract().asByteArray();
        assertThat(served).isEqualTo(png);
        // quota-service learns the new size: video.stored, valid by the contract, with the owner and the bytes
        var stored = KafkaTopics.await(Topics.VIDEO_STORED, e -> id.toString().equals(e.path("subject").asText()),
                Duration.ofSeconds(20));
        JsonNode event = EventJson.mapper().readTree(stored.value());
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, event)).isEmpty();
        assertThat(stored.key()).isEqualTo(id.toString());
        assertThat(event.path("data").path("kind").asText()).isEqualTo("thumbnail");
        assertThat(event.path("data").path("bytes").asLong()).isEqualTo(200);
        assertThat(event.path("data").path("ownerId").asText()).isEqualTo(owner.toString());

        as(owner).contentType("image/jpeg").body(png).put("/api/videos/{id}/thumbnail", id).then().statusCode(400)
                .body("code", equalTo("video.invalid_thumbnail"));
        as(owner).contentType("image/png").body("GIF89a....".getBytes(StandardCharsets.US_ASCII))
                .put("/api/videos/{id}/thumbnail", id).then().statusCode(400);
        byte[] big = new byte[2 * 1024 * 1024 + 1];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        as(owner).contentType("image/jpeg").body(big).put("/api/videos/{id}/thumbnail", id).then().statusCode(413);
        as(owner).contentType("image/gif").body(png).put("/api/videos/{id}/thumbnail", id).then().statusCode(415);
        as(owner).get("/api/videos/{id}/thumbnail", id).then().header("Content-Type", "image/png");
    }

    @Test
    void notReadyVideoCannotBePlayed() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.processing(owner, "Later", "later.mp4", null, null);
        as(owner).get("/api/videos/{id}/stream", id).then().statusCode(409).body("code", equalTo("video.not_ready"));
        as(owner).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(409);
        as(owner).get("/api/videos/{id}/thumbnail", id).then().statusCode(404);
    }

    @Test
    void directUrlIsAShortLivedLinkThatWorksWithoutLogin() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Direct", Visibility.PRIVATE);
        Response direct = as(owner).get("/api/videos/{id}/direct-url", id);
        direct.then().statusCode(200).body("url", containsString("/api/share/")).body("expiresAt", notNullValue());
        String url = direct.path("url");
        String path = url.substring(url.indexOf("/api/share/"));
        byte[] body = RestAssured.given().header("Range", "bytes=0-9").get(path).then().statusCode(206)
                .extract().asByteArray();
        assertThat(body).isEqualTo(Arrays.copyOfRange(mp4(), 0, 10));
    }

    @Test
    void withoutTokenEverythingIs401() {
        UUID id = fixtures.ready(UUID.randomUUID(), "Anon", Visibility.PLATFORM);
        RestAssured.get("/api/videos/{id}/stream", id).then().statusCode(401);
        RestAssured.get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(401);
        RestAssured.get("/api/videos/{id}", id).then().statusCode(401);
    }

    /**
     * The storyboard is listed on the video and served with its authorisation: the WebVTT file, and the sprite its
     * cues name by a URL relative to it; others get problem+json 404, anonymous callers 401, a video whose
     * transcode made none 404, one not READY 409.
     */
    @Test
    void storyboardIsServedWithTheVideosAuthorisation() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.readyWithStoryboard(owner, "Storyboard", Visibility.PRIVATE);
        String url = as(owner).get("/api/videos/{id}", id).then().statusCode(200).extract().path("storyboardUrl");
        assertThat(url).isEqualTo(dev.clipflow.catalog.support.CatalogTestResource.PUBLIC_BASE + "/api/videos/" + id
                + "/storyboard.vtt");
        String path = java.net.URI.create(url).getPath();
        String vtt = as(owner).get(path).then().statusCode(200).header("Content-Type", containsString("text/vtt"))
                .header("ETag", notNullValue()).extract().asString();
        assertThat(vtt).isEqualTo(Files.readString(Media.get().storyboardVtt));
        assertSpritesResolve(vtt, java.net.URI.create(url), target -> as(owner).get(target));

        UUID stranger = UUID.randomUUID();
        for (String file : List.of("storyboard.vtt", "storyboard.jpg")) {
            as(stranger).get("/api/videos/{id}/" + file, id).then().statusCode(404)
                    .contentType("application/problem+json");
            RestAssured.get("/api/videos/{id}/" + file, id).then().statusCode(401);
            as(owner).get("/api/videos/{id}/" + file, UUID.randomUUID()).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        UUID without = fixtures.ready(owner, "No storyboard", Visibility.PRIVATE);
        assertThat((String) as(owner).get("/api/videos/{id}", without).path("storyboardUrl")).isNull();
        as(owner).get("/api/videos/{id}/storyboard.vtt", without).then().statusCode(404)
                .contentType("application/problem+json");
        UUID processing = fixtures.processing(owner, "Busy", "busy.mov", null, null);
        as(owner).get("/api/videos/{id}/storyboard.jpg", processing).then().statusCode(409)
                .contentType("application/problem+json");
    }

    /**
     * Every cue of {@code vtt} names the sprite by a URL that, resolved against the VTT's own URL as players do,
     * answers the JPEG; each rectangle lies inside it (the sprite's real size, as an image reader decodes it).
     */
    public static void assertSpritesResolve(String vtt, java.net.URI vttUrl,
            java.util.function.Function<String, Response> get) {
        List<String> cues = vtt.lines().filter(l -> l.contains("#xywh=")).toList();
        assertThat(cues).hasSize(2);
        for (String cue : cues) {
            java.net.URI sprite = vttUrl.resolve(cue);
            Response response = get.apply(sprite.getPath());
            response.then().statusCode(200).header("Content-Type", "image/jpeg");
            int[] size = jpegSize(response.asByteArray());
            String[] xywh = sprite.getFragment().substring("xywh=".length()).split(",");
            assertThat(Integer.parseInt(xywh[0]) + Integer.parseInt(xywh[2])).isLessThanOrEqualTo(size[0]);
            assertThat(Integer.parseInt(xywh[1]) + Integer.parseInt(xywh[3])).isLessThanOrEqualTo(size[1]);
        }
    }

    /** A JPEG's width and height, as an image reader sees them. */
    static int[] jpegSize(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(image).as("a readable image").isNotNull();
            return new int[] {image.getWidth(), image.getHeight()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> uris(String playlist) {
        return playlist.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
