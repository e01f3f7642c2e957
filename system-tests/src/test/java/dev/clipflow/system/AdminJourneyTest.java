package dev.clipflow.system;

import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operators' side: an internal service publishes work straight to Kafka, and an admin finds a
 * user, renames them, and deletes them with everything they own.
 */
@Tag("journey")
@ExtendWith(Stack.class)
class AdminJourneyTest {

    @Test
    void internalPublisherAndAdminDeletingAUserWithEverythingTheyOwn(@TempDir Path dir) throws Exception {
        Users.User admin = Users.admin();
        Users.User bob = Users.signUp("Bob");
        UUID video = Videos.uploadChunked(bob, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0), "Bob's", "Vlog");
        Videos.awaitReady(bob, video);

        // an internal service asks for a new thumbnail through transcode.requests
        UUID jobId = UUID.randomUUID();
        TranscodeRequest request = new TranscodeRequest(jobId, TranscodeRequest.Type.THUMBNAIL, video, null, bob.id(),
                Map.of("atSeconds", 0.5));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.TRANSCODE_REQUESTS, video.toString(), EventJson.mapper()
                    .writeValueAsString(CloudEvent.of(Topics.TRANSCODE_REQUESTS, "/clipflow/some-internal-service",
                            video.toString(), request)))).get();
        }
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> given().auth().oauth2(bob.accessToken())
                .get(url("/api/jobs/" + jobId)).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("videoId", equalTo(video.toString())));

        // the admin finds Bob, renames him, sees his videos
        List<String> found = given().auth().oauth2(admin.accessToken()).queryParam("q", bob.email())
                .get(url("/api/admin/users")).then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(found).containsExactly(bob.id().toString());
        given().auth().oauth2(admin.accessToken()).contentType("application/json").body(Map.of("displayName", "Robert"))
                .put(url("/api/admin/users/" + bob.id())).then().statusCode(200);
        given().auth().oauth2(admin.accessToken()).get(url("/api/admin/users/" + bob.id()))
                .then().statusCode(200).body("displayName", equalTo("Robert"));
        assertThat(given().auth().oauth2(admin.accessToken()).queryParam("ownerId", bob.id())
                .get(url("/api/admin/videos")).jsonPath().getList("items.id")).contains(video.toString());

        // a plain user cannot do any of it
        given().auth().oauth2(bob.accessToken()).get(url("/api/admin/users")).then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).delete(url("/api/admin/users/" + bob.id())).then().statusCode(403);

        // deleting Bob removes his account, his videos and his quota entries
        given().auth().oauth2(admin.accessToken()).delete(url("/api/admin/users/" + bob.id())).then().statusCode(204);
        given().contentType("application/json").body(Map.of("email", bob.email(), "password", bob.password()))
                .post(url("/api/auth/login")).then().statusCode(401);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(given().auth().oauth2(admin.accessToken()).queryParam("ownerId", bob.id())
                    .get(url("/api/admin/videos")).jsonPath().getList("items")).isEmpty();
            given().auth().oauth2(admin.accessToken()).get(url("/api/videos/" + video)).then().statusCode(404);
        });
    }
}
