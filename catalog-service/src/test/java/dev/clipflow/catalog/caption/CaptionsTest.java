package dev.clipflow.catalog.caption;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobStore;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** Captions: put as SRT or WebVTT, served as WebVTT, in the HLS master, searchable, through share links, deleted. */
@QuarkusTest
class CaptionsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    BlobStore store;

    @Test
    void anSrtBecomesAWebVttTrackThatPlaysInHlsAndIsFoundBySearch() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Lecture", Visibility.PRIVATE);
        String word = "zyx" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String srt = "1\r\n00:00:00,500 --> 00:00:02,000\r\nThe " + word + " theorem\r\n";
        as(owner).queryParam("q", word).get("/api/videos").then().statusCode(200).body("items", hasSize(0));

        as(owner).contentType("application/x-subrip").body(srt.getBytes(StandardCharsets.UTF_8))
                .put("/api/videos/{id}/captions/{lang}", id, "en-us").then().statusCode(201)
                .body("lang", equalTo("en-US")).body("name", equalTo("English (United States)"))
                .body("url", equalTo(CatalogTestResource.PUBLIC_BASE + "/api/videos/" + id + "/captions/en-US"));
        as(owner).contentType("text/vtt").body("WEBVTT\n\n00:01.000 --> 00:02.000\nBonjour\n")
                .put("/api/videos/{id}/captions/fr", id).then().statusCode(201);
        as(owner).contentType("text/vtt").body("WEBVTT\n\n00:01.000 --> 00:02.500\nBonjour !\n")
                .put("/api/videos/{id}/captions/fr", id).then().statusCode(200);

        as(owner).get("/api/videos/{id}/captions", id).then().statusCode(200)
                .body("lang", org.hamcrest.Matchers.contains("en-US", "fr"));
        as(owner).get("/api/videos/{id}", id).then().statusCode(200).body("captions.lang",
                org.hamcrest.Matchers.contains("en-US", "fr"));
        as(owner).get("/api/videos/{id}/captions/en-US", id).then().statusCode(200)
                .contentType(startsWith("text/vtt"))
                .body(equalTo("WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nThe " + word + " theorem\n"));

        // a phrase only the captions hold finds the video, among the owner's and in the admin list
        as(owner).queryParam("q", word).get("/api/videos").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(id.toString()));

        // the master lists the subtitles group; each language plays as a subtitles playlist of one WebVTT segment
        String master = as(owner).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(200)
                .extract().asString();
        assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English (United States)\","
                + "LANGUAGE=\"en-US\",DEFAULT=NO,AUTOSELECT=YES,URI=\"subs/en-US.m3u8\"")
                .contains("LANGUAGE=\"fr\"");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")))
                .isNotEmpty().allMatch(l -> l.endsWith(",SUBTITLES=\"subs\""));
        String etag = as(owner).get("/api/videos/{id}/hls/master.m3u8", id).header("ETag");
        as(owner).header("If-None-Match", etag).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(304);
        as(owner).get("/api/videos/{id}/hls/subs/fr.m3u8", id).then().statusCode(200)
                .body(containsString("#EXTINF:3.000,\nfr.vtt\n#EXT-X-ENDLIST"));
        as(owner).get("/api/videos/{id}/hls/subs/fr.vtt", id).then().statusCode(200)
                .body(containsString("Bonjour !"));
        as(owner).get("/api/videos/{id}/hls/subs/de.vtt", id).then().statusCode(404);

        // through a share link, without login
        String token = as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 600))
                .post("/api/videos/{id}/share", id).then().statusCode(201).extract().path("token");
        RestAssured.get("/api/share/{t}", token).then().statusCode(200).body("captions[1].url",
                equalTo(CatalogTestResource.PUBLIC_BASE + "/api/share/" + token + "/captions/fr"));
        RestAssured.get("/api/share/{t}/captions/fr", token).then().statusCode(200).body(containsString("Bonjour"));
        RestAssured.get("/api/share/{t}/hls/subs/en-US.vtt", token).then().statusCode(200);

        // quota-service learns the size of all captions together
        var stored = KafkaTopics.await(Topics.VIDEO_STORED, e -> id.toString().equals(e.path("subject").asText())
                && e.path("data").path("kind").asText().equals("captions")
                && e.path("data").path("bytes").asLong() == captionBytes(id), Duration.ofSeconds(20));
        JsonNode event = EventJson.mapper().readTree(stored.value());
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, event)).isEmpty();

        as(owner).delete("/api/videos/{id}/captions/en-US", id).then().statusCode(204);
        as(owner).get("/api/videos/{id}/captions/en-US", id).then().statusCode(404);
        as(owner).queryParam("q", word).get("/api/videos").then().statusCode(200).body("items", hasSize(0));
        assertThat(store.stat(CaptionService.key(id, "en-US"))).isEmpty();

        as(owner).delete("/api/videos/{id}", id).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.stat(CaptionService.key(id, "fr")).isEmpty());
    }

    private long captionBytes(UUID id) {
        return store.list("videos/" + id + "/captions/").stream().mapToLong(b -> b.size()).sum();
    }

    @Test
    void badFilesAndTagsAreRefusedWithTheirReason() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Refusals", Visibility.PRIVATE);
        String bad = "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03.5 -> 00:00:04,000\nbroken\n";
        as(owner).contentType("application/x-subrip").body(bad.getBytes(StandardCharsets.UTF_8))
                .put("/api/videos/{id}/captions/en", id).then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("caption.invalid")).body("line", equalTo(6))
                .body("detail", startsWith("Line 6: expected a timing"));
        as(owner).contentType("text/vtt").body("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n")
                .put("/api/videos/{id}/captions/{lang}", id, "en_GB").then().statusCode(400)
                .body("code", equalTo("caption.invalid_language"));
        as(owner).contentType("image/png").body(new byte[] {1, 2, 3}).put("/api/videos/{id}/captions/en", id).then()
                .statusCode(415);
        as(owner).contentType("text/vtt").body(new byte[524_289]).put("/api/videos/{id}/captions/en", id).then()
                .statusCode(413).body("code", equalTo("caption.too_large"));
        // someone else's private video does not exist for them
        as(UUID.randomUUID()).contentType("text/vtt").body("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n")
                .put("/api/videos/{id}/captions/en", id).then().statusCode(404);
        as(owner).get("/api/videos/{id}/captions", id).then().statusCode(200).body("$", hasSize(0));
        // nothing changed: the master has no subtitles group
        assertThat(as(owner).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(200).extract().asString())
                .doesNotContain("SUBTITLES");
    }
}
