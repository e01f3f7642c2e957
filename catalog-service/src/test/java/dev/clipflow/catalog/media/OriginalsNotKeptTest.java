package dev.clipflow.catalog.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.support.KafkaTopics;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.catalog.support.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code clipflow.catalog.keep-originals=false}: the original goes once the video is READY, and quota learns it. */
@QuarkusTest
@TestProfile(OriginalsNotKeptTest.NoOriginals.class)
class OriginalsNotKeptTest {

    public static class NoOriginals implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipflow.catalog.keep-originals", "false");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    BlobStore store;

    @Test
    void theOriginalIsDeletedAfterTheTranscodeAndTheRouteSaysSo() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.readyWithOriginal(owner, "clip.mp4", "video/mp4", OriginalsTest.original(5_000));

        assertThat(store.stat(BlobKeys.original(id))).isEmpty();
        as(owner).get("/api/videos/{id}/original", id).then().statusCode(410)
                .contentType("application/problem+json").body("code", equalTo("video.original_not_kept"));
        // the rest of the video plays on
        as(owner).get("/api/videos/{id}/stream", id).then().statusCode(200);
        var stored = KafkaTopics.await(Topics.VIDEO_STORED, e -> id.toString().equals(e.path("subject").asText())
                && e.path("data").path("kind").asText().equals("original"), Duration.ofSeconds(20));
        JsonNode event = EventJson.mapper().readTree(stored.value());
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, event)).isEmpty();
        assertThat(event.path("data").path("bytes").asLong()).isZero();
        assertThat(event.path("data").path("ownerId").asText()).isEqualTo(owner.toString());
    }
}
