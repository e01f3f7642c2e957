package dev.clipflow.catalog.bandwidth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.CatalogTestResource;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.catalog.support.Media;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class BandwidthTest {

    @Inject
    Fixtures fixtures;

    private static long reported(UUID owner) {
        return KafkaTopics.all(Topics.USAGE_BANDWIDTH, e -> owner.toString().equals(e.path("data").path("ownerId").asText()),
                Duration.ofMillis(500)).stream().mapToLong(e -> e.path("data").path("bytes").asLong()).sum();
    }

    @Test
    void bytesServedOnEveryPathAreReportedToTheOwner() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Metered", Visibility.PLATFORM);
        long sent = 0;
        sent += as(viewer).header("Range", "bytes=0-999").get("/api/videos/{id}/stream", id).then().statusCode(206)
                .extract().asByteArray().length;
        sent += as(owner).header("Range", "bytes=-500").get("/api/videos/{id}/download", id).then().statusCode(206)
                .extract().asByteArray().length;
        sent += as(viewer).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(200)
                .extract().asByteArray().length;
        sent += as(viewer).header("Range", "bytes=0-99").get("/api/videos/{id}/audio.m4a", id).then().statusCode(206)
                .extract().asByteArray().length;
        String token = as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 600))
                .post("/api/videos/{id}/share", id).then().statusCode(201).extract().path("token");
        sent += RestAssured.given().header("Range", "bytes=100-299").get("/api/share/{t}/stream", token).then()
                .statusCode(206).extract().asByteArray().length;
        sent += RestAssured.get("/api/share/{t}/hls/240p/index.m3u8", token).then().statusCode(200)
                .extract().asByteArray().length;
        sent += RestAssured.given().header("Range", "bytes=0-49").get("/api/share/{t}/audio.m4a", token).then()
                .statusCode(206).extract().asByteArray().length;
        // neither HEAD nor thumbnails nor 304s count
        as(owner).head("/api/videos/{id}/stream", id).then().statusCode(200);
        as(owner).head("/api/videos/{id}/audio.m4a", id).then().statusCode(200);
        as(owner).get("/api/videos/{id}/thumbnail", id).then().statusCode(200);
        assertThat(sent).isGreaterThan(1850);

        long expected = sent;
        await().atMost(Duration.ofSeconds(20)).until(() -> reported(owner) == expected);
        // read until it is found: a fixed quiet window can end before a loaded broker hands out the first records
        JsonNode event = EventJson.mapper().readTree(KafkaTopics.await(Topics.USAGE_BANDWIDTH,
                e -> owner.toString().equals(e.path("data").path("ownerId").asText()), Duration.ofSeconds(20)).value());
        assertThat(EventSchemas.validateEvent(Topics.USAGE_BANDWIDTH, event)).isEmpty();
        assertThat(event.path("data").path("kind").asText()).isEqualTo("SERVED");
        assertThat(event.path("subject").asText()).isEqualTo(owner.toString());
        assertThat(reported(viewer)).isZero();
        // quota-service was asked with a service token from the client-credentials endpoint
        assertThat(CatalogTestResource.quota().lastSubject()).startsWith("service:");
    }

    @Test
    void ownerOverTheLimitIsRefusedOnEveryServingPath() {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Too popular", Visibility.PLATFORM);
        String token = as(owner).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 600))
                .post("/api/videos/{id}/share", id).then().statusCode(201).extract().path("token");
        CatalogTestResource.quota().setBandwidth(owner, 1_000_000, 1_000_000);

        for (var call : List.<Runnable>of(
                () -> as(viewer).get("/api/videos/{id}/stream", id).then().statusCode(403)
                        .contentType("application/problem+json").body("code", equalTo("quota.bandwidth_exceeded")),
                () -> as(owner).get("/api/videos/{id}/download", id).then().statusCode(403)
                        .body("code", equalTo("quota.bandwidth_exceeded")),
                () -> as(viewer).get("/api/videos/{id}/hls/master.m3u8", id).then().statusCode(403),
                () -> as(viewer).get("/api/videos/{id}/hls/240p/index.m3u8", id).then().statusCode(403),
                () -> RestAssured.get("/api/share/{t}/stream", token).then().statusCode(403)
                        .body("code", equalTo("quota.bandwidth_exceeded")),
                () -> as(viewer).get("/api/videos/{id}/audio.m4a", id).then().statusCode(403)
                        .body("code", equalTo("quota.bandwidth_exceeded")),
                () -> RestAssured.get("/api/share/{t}/audio.m4a", token).then().statusCode(403),
                () -> RestAssured.get("/api/share/{t}/hls/master.m3u8", token).then().statusCode(403))) {
            call.run();
        }
        // metadata and thumbnails stay available
        as(viewer).get("/api/videos/{id}", id).then().statusCode(200);
        as(viewer).get("/api/videos/{id}/thumbnail", id).then().statusCode(200);
        // a user under their limit is served meanwhile
        UUID other = UUID.randomUUID();
        UUID fine = fixtures.ready(other, "Fine", Visibility.PRIVATE);
        CatalogTestResource.quota().setBandwidth(other, 1_000_000_000, 999);
        as(other).get("/api/videos/{id}/stream", fine).then().statusCode(200);
    }

    @Test
    void concurrentReadersOfOneOwnerShareOneQuotaLookUpAndEveryByteIsCounted() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Popular", Visibility.PLATFORM);
        CatalogTestResource.quota().slow(owner, 300); // the readers arrive while the first look-up is under way
        int readers = 16;
        String segment = "/api/videos/" + id + "/hls/240p/seg_000.ts";
        long size = java.nio.file.Files.size(Media.get().hls.resolve("240p/seg_000.ts"));
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                answers.add(pool.submit(() -> as(viewer).get(segment).then().extract().statusCode()));
            }
            // a player that hangs up while the look-up is under way must not fail the readers waiting for the same
            // one (If-None-Match: *, so that it costs no bytes if it is answered before it hangs up: 304)
            try (java.net.Socket quitter = new java.net.Socket("127.0.0.1", RestAssured.port)) {
                quitter.getOutputStream().write(("GET " + segment + " HTTP/1.1\r\nHost: catalog\r\nIf-None-Match: *"
                        + "\r\nAuthorization: Bearer "
                        + dev.clipflow.testinfra.resources.JwtResource.tokens().user(viewer) + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                quitter.getOutputStream().flush();
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        // one look-up for all of them (a second only if the run outlasted the figure's TTL and it was refreshed)
        assertThat(CatalogTestResource.quota().calls(owner)).isBetween(1, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> reported(owner) == readers * size);
    }

    @Test
    void quotaServiceOutageFailsOpen() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Unchecked", Visibility.PRIVATE);
        CatalogTestResource.quota().markDown(owner);
        as(owner).header("Range", "bytes=0-9").get("/api/videos/{id}/stream", id).then().statusCode(206);
    }
}
