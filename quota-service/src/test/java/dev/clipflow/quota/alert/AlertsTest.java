package dev.clipflow.quota.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.reservation.service.ReservationSweeper;
import dev.clipflow.quota.support.Alerts;
import dev.clipflow.quota.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.quota.support.Api.commit;
import static dev.clipflow.quota.support.Api.me;
import static dev.clipflow.quota.support.Api.release;
import static dev.clipflow.quota.support.Api.reservation;
import static dev.clipflow.quota.support.Api.reserve;
import static dev.clipflow.quota.support.Api.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AlertsTest {

    @Inject
    QuotaRepository repository;

    @Inject
    ReservationSweeper sweeper;

    @Inject
    MongoDatabase database;

    @Test
    void oneAlertPerUpwardCrossingOf80Percent() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 1000, 1_000_000);
        reserve(service(), reservation(user, 500)).then().statusCode(201).body("storage.alert", equalTo(false));
        Map<String, Object> crossing = reservation(user, 300);
        reserve(service(), crossing).then().statusCode(201).body("storage.alert", equalTo(true));
        reserve(service(), reservation(user, 50)).then().statusCode(201);
        commit(service(), crossing.get("reservationId"), null).then().statusCode(200);

        List<JsonNode> alerts = Alerts.of(repository, user);
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.path("type").asText()).isEqualTo("clipflow.quota.alerts");
        assertThat(alert.path("subject").asText()).isEqualTo(user.toString());
        assertThat(alert.path("data").path("resource").asText()).isEqualTo("STORAGE");
        assertThat(alert.path("data").path("threshold").asInt()).isEqualTo(80);
        assertThat(alert.path("data").path("usedBytes").asLong()).isEqualTo(800);
        assertThat(alert.path("data").path("limitBytes").asLong()).isEqualTo(1000);
        assertThat(alert.path("data").path("percentUsed").asDouble()).isEqualTo(80.0);
    }

    @Test
    void fallingBelowRearmsAndReaching100AlertsToo() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 1000, 1_000_000);
        Map<String, Object> big = reservation(user, 900);
        reserve(service(), big).then().statusCode(201);
        release(service(), big.get("reservationId")).then().statusCode(204);
        me(user).then().body("storage.alert", equalTo(false));
        reserve(service(), reservation(user, 850)).then().statusCode(201);
        reserve(service(), reservation(user, 150)).then().statusCode(201).body("storage.percentUsed", equalTo(100.0f));

        assertThat(Alerts.summary(repository, user)).containsExactly("STORAGE 80", "STORAGE 80", "STORAGE 100");
    }

    @Test
    void limitChangesCountAsCrossings() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 10_000, 1_000_000);
        reserve(service(), reservation(user, 5000)).then().statusCode(201);
        Api.setLimits(user, 6000, 1_000_000);
        Api.setLimits(user, 5500, 1_000_000);
        assertThat(Alerts.summary(repository, user)).containsExactly("STORAGE 80");
    }

    @Test
    void sweeperRecordsAnAlertWhoseInlineEvaluationWasLost() {
        UUID user = UUID.randomUUID();
        Api.setLimits(user, 1000, 1_000_000);
        // A crash right after a usage update: the usage changed (and was marked dirty), nothing evaluated it.
        database.getCollection("quotas").updateOne(new Document("_id", user.toString()),
                new Document("$inc", new Document("storage.used", 900L).append("seq", 1L))
                        .append("$set", new Document("alertsDirty", true)));
        sweeper.reconcileAlerts();
        assertThat(Alerts.summary(repository, user)).containsExactly("STORAGE 80");
        assertThat(repository.state(user).alertsDirty()).isFalse();
    }
}
