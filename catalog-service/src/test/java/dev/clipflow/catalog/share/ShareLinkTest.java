package dev.clipflow.catalog.share;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.TestClock;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.catalog.video.live.LiveUpdates;
import dev.clipflow.catalog.video.live.VideoUpdate;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class ShareLinkTest {

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Inject
    LiveUpdates live;

    @Inject
    CatalogConfig config;

    @AfterEach
    void resetClock() {
        TestClock.get().reset();
    }

    private Response share(UUID owner, UUID id, long seconds) {
        return as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", seconds))
                .post("/api/videos/{id}/share", id);
    }

    @Test
    void linkOpensMetadataStreamAndHlsWithoutLogin() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Shared privately", Visibility.PRIVATE);
        Response created = share(owner, id, 600);
        created.then().statusCode(201)
                .body("url", startsWith(CatalogTestResource.PUBLIC_BASE + "/api/share/"))
                .body("token", org.hamcrest.Matchers.notNullValue());
        String token = created.path("token");
        Instant expiresAt = Instant.parse(created.path("expiresAt"));
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
        assertThat((String) created.path("url")).endsWith(token);

        RestAssured.get("/api/share/{t}", token).then().statusCode(200)
                .body("id", equalTo(id.toString()))
                .body("title", equalTo("Shared privately"))
                .body("streamUrl", equalTo(CatalogTestResource.PUBLIC_BASE + "/api/share/" + token + "/stream"))
                // named by the media root, so a replace of the file never mixes media in a playing player
                .body("hlsUrl", equalTo(CatalogTestResource.PUBLIC_BASE + "/api/share/" + token + "/hls/r/" + id
                        + "/master.m3u8"));
        RestAssured.given().header("Range", "bytes=0-15").get("/api/share/{t}/stream", token).then().statusCode(206)
                .header("Content-Length", "16");
        RestAssured.head("/api/share/{t}/stream", token).then().statusCode(200).header("Accept-Ranges", "bytes");
        String master = RestAssured.get("/api/share/{t}/hls/master.m3u8", token).then().statusCode(200)
                .extract().asString();
        assertThat(master).contains("240p/index.m3u8");
        String playlist = RestAssured.get("/api/share/{t}/hls/240p/index.m3u8", token).then().statusCode(200)
                .extract().asString();
        String segment = playlist.lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
        RestAssured.get("/api/share/{t}/hls/240p/" + segment, token).then().statusCode(200)
                .header("Content-Type", "video/mp2t");
        RestAssured.get("/api/share/{t}/thumbnail", token).then().statusCode(200).header("Content-Type", "image/jpeg");
    }

    /** The share link lists and serves the storyboard; the cues' relative URLs resolve under the share path. */
    @Test
    void linkServesTheStoryboard() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.readyWithStoryboard(owner, "Shared storyboard", Visibility.PRIVATE);
        String token = share(owner, id, 600).then().statusCode(201).extract().path("token");
        String url = RestAssured.get("/api/share/{t}", token).then().statusCode(200).extract().path("storyboardUrl");
        assertThat(url).isEqualTo(CatalogTestResource.PUBLIC_BASE + "/api/share/" + token + "/storyboard.vtt");
        String vtt = RestAssured.get(java.net.URI.create(url).getPath()).then().statusCode(200)
                .header("Content-Type", containsString("text/vtt")).extract().asString();
        dev.clipflow.catalog.media.StreamingTest.assertSpritesResolve(vtt, java.net.URI.create(url), RestAssured::get);
        RestAssured.get("/api/share/{t}/storyboard.jpg", token + "x").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void expiredLinkIsGone() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Short lived", Visibility.PRIVATE);
        String token = share(owner, id, 60).path("token");
        RestAssured.get("/api/share/{t}", token).then().statusCode(200);

        TestClock.get().advance(Duration.ofSeconds(61));
        RestAssured.get("/api/share/{t}", token).then().statusCode(410)
                .contentType("application/problem+json").body("code", equalTo("share.expired"));
        RestAssured.get("/api/share/{t}/stream", token).then().statusCode(410);
        RestAssured.get("/api/share/{t}/hls/master.m3u8", token).then().statusCode(410);
        RestAssured.get("/api/share/{t}/hls/240p/index.m3u8", token).then().statusCode(410);
    }

    @Test
    void tamperedOrMalformedTokensAreNotFound() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Tamper", Visibility.PRIVATE);
        UUID other = fixtures.ready(owner, "Other", Visibility.PRIVATE);
        String token = share(owner, id, 600).path("token");
        String otherToken = share(owner, other, 600).path("token");
        String[] parts = token.split("\\.");

        // signature of one link on the payload of another
        String swapped = otherToken.split("\\.")[0] + "." + parts[1];
        // payload with a later expiry, old signature
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        payload[payload.length - 1] ^= 0x01;
        String extended = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];
        char last = parts[1].charAt(parts[1].length() - 2);
        String flipped = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + (last == 'A' ? 'B' : 'A')
                + parts[1].charAt(parts[1].length() - 1);
        for (String bad : new String[] {swapped, extended, flipped, "garbage", parts[0], "a.b", "%%%.***"}) {
            RestAssured.get("/api/share/{t}", bad).then().statusCode(404);
            RestAssured.get("/api/share/{t}/stream", bad).then().statusCode(404);
            RestAssured.get("/api/share/{t}/hls/master.m3u8", bad).then().statusCode(404);
        }
        RestAssured.get("/api/share/{t}", token).then().statusCode(200);
    }

    @Test
    void deletingTheVideoKillsItsLinks() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Doomed", Visibility.PRIVATE);
        String token = share(owner, id, 600).path("token");
        RestAssured.get("/api/share/{t}/stream", token).then().statusCode(200);
        RestAssured.get("/api/share/{t}/hls/240p/seg_000.ts", token).then().statusCode(200);
        as(owner).delete("/api/videos/{id}", id).then().statusCode(204);
        // at once, although this replica had the video's row cached for its players
        RestAssured.get("/api/share/{t}", token).then().statusCode(404);
        RestAssured.get("/api/share/{t}/stream", token).then().statusCode(404);
        RestAssured.get("/api/share/{t}/hls/240p/seg_000.ts", token).then().statusCode(404);
    }

    @Test
    void aDeletionAnnouncedByAnotherReplicaStopsPlayingHereAtOnce() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Deleted elsewhere", Visibility.PRIVATE);
        String token = share(owner, id, 600).path("token");
        String segment = "/api/share/" + token + "/hls/240p/seg_000.ts";
        RestAssured.get(segment).then().statusCode(200);
        // what another replica's delete leaves this one: the row gone and the NOTIFY of its transaction, nothing else
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from video where id = ?1").setParameter(1, id).executeUpdate();
            live.publish(VideoUpdate.deleted(id));
        });
        // the cache would keep the row for playback-cache-ttl (10 min in tests): only the notification ends it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get(segment).then().statusCode(404));
        as(owner).get("/api/videos/{id}/hls/240p/seg_000.ts", id).then().statusCode(404);
    }

    @Test
    void aChangeThisReplicaIsNotToldOfStopsPlayingWithinThePlaybackCacheTtl() {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Lost notification", Visibility.PLATFORM);
        String token = share(owner, id, 3600).path("token");
        String shared = "/api/share/" + token + "/hls/240p/seg_000.ts";
        String signedIn = "/api/videos/" + id + "/hls/240p/seg_000.ts";
        RestAssured.get(shared).then().statusCode(200);
        as(viewer).get(signedIn).then().statusCode(200);
        // deleted by another replica whose notification never arrived (the LISTEN connection was down)
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("delete from video where id = ?1").setParameter(1, id).executeUpdate());
        TestClock.get().advance(config.playbackCacheTtl().plusSeconds(1));
        RestAssured.get(shared).then().statusCode(404);
        as(viewer).get(signedIn).then().statusCode(404);
    }

    @Test
    void invalidShareRequestsAreRejected() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Rules", Visibility.PRIVATE);
        share(owner, id, 0).then().statusCode(400).body("code", equalTo("share.invalid_expiry"));
        share(owner, id, -5).then().statusCode(400);
        share(owner, id, Duration.ofDays(31).toSeconds()).then().statusCode(400);
        as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 60, "forever", true))
                .post("/api/videos/{id}/share", id).then().statusCode(400).body("code", equalTo("request.unknown_field"));
        as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", "soon"))
                .post("/api/videos/{id}/share", id).then().statusCode(400);
        as(owner).contentType(ContentType.JSON).post("/api/videos/{id}/share", id).then().statusCode(201)
                .body("url", containsString("/api/share/"));
    }
}
