package dev.clipflow.system;

import dev.clipflow.contracts.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quota alerts reach the user's mailbox (GreenMail): one e-mail for the 80 % storage crossing of a real upload,
 * and none more when the very same quota.alerts event is delivered again (a replay of its exact bytes).
 */
@ExtendWith(Stack.class)
class AlertMailTest {

    @Test
    void oneMailPerCrossingAndNoneForAReplay(@TempDir Path dir) throws Exception {
        Users.User user = Users.signUp("Alerted");
        Path clip = Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0);
        long size = Files.size(clip);
        // the upload takes ~85 % of the limit: one crossing of 80 %, none of 100 %
        given().auth().oauth2(Users.admin().accessToken()).contentType("application/json")
                .body(Map.of("storageLimitBytes", size * 100 / 85, "bandwidthLimitBytes", 1L << 40))
                .put(Videos.url("/api/admin/quota/" + user.id())).then().statusCode(200);
        Videos.uploadChunked(user, clip, "Almost full", "Vlog");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> subjects(user.email()).stream().anyMatch(s -> s.contains("80 % of your storage")));

        // the alert event as quota-service published it, sent again byte for byte
        ConsumerRecord<String, String> alert = KafkaTopics.readAll(Topics.QUOTA_ALERTS).stream()
                .filter(r -> user.id().toString().equals(r.key())).findFirst().orElseThrow();
        // a second, new crossing afterwards (same user, same partition): once its mail is there, the replay was read
        String marker = alert.value().replace("\"STORAGE\"", "\"BANDWIDTH\"")
                .replaceFirst("\"id\"\\s*:\\s*\"[^\"]+\"", "\"id\":\"" + UUID.randomUUID() + "\"");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.QUOTA_ALERTS, alert.key(), alert.value())).get();
            producer.send(new ProducerRecord<>(Topics.QUOTA_ALERTS, alert.key(), marker)).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> subjects(user.email()).stream().anyMatch(s -> s.contains("80 % of your bandwidth")));
        assertThat(subjects(user.email()).stream().filter(s -> s.contains("% of your"))).containsExactlyInAnyOrder(
                "Clipflow: you have used 80 % of your storage", "Clipflow: you have used 80 % of your bandwidth");
    }

    private static List<String> subjects(String email) {
        var response = given().get(Stack.get().mailApi() + "/api/user/" + email + "/messages/");
        if (response.statusCode() != 200 || !response.asString().trim().startsWith("[")) {
            return List.of();
        }
        return response.jsonPath().getList("subject", String.class);
    }
}
