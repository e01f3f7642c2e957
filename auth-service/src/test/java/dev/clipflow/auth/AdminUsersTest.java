package dev.clipflow.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.auth.bootstrap.AdminBootstrap;
import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.support.UserDeletedEvents;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class AdminUsersTest {

    @Inject
    AdminBootstrap bootstrap;

    String admin;

    @BeforeEach
    void signInAsAdmin() {
        bootstrap.ensureAdmin();
        admin = Accounts.adminToken();
    }

    @Test
    void onlyAdminsMayManageUsers() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        given().auth().oauth2(Accounts.accessToken(email)).get("/api/admin/users").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("auth.forbidden"));
        given().get("/api/admin/users").then().statusCode(401);
    }

    @Test
    void searchFindsByEmailOrDisplayNameAndPages() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        createUser("zed-" + tag + "@example.com", "Zed", List.of());
        createUser(Accounts.newEmail(), "Marta " + tag.toUpperCase(), List.of());
        as().queryParam("q", tag).get("/api/admin/users").then().statusCode(200)
                .body("items", hasSize(2)).body("total", equalTo(2)).body("page", equalTo(0)).body("size", equalTo(20))
                .body("items.displayName", containsInAnyOrder("Zed", "Marta " + tag.toUpperCase()));
        as().queryParam("q", tag).queryParam("size", 1).queryParam("page", 1).get("/api/admin/users").then()
                .body("items", hasSize(1)).body("total", equalTo(2)).body("page", equalTo(1));
        as().queryParam("size", 1000).get("/api/admin/users").then().statusCode(200).body("size", equalTo(100));
        as().queryParam("q", "%").get("/api/admin/users").then().statusCode(200);
        as().queryParam("page", -1).get("/api/admin/users").then().statusCode(400);
        // page x size past Integer.MAX_VALUE overflowed the offset into a negative number: a 500
        as().queryParam("page", 21_474_837).queryParam("size", 100).get("/api/admin/users").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void createdUsersAreActiveAtOnce() {
        String email = Accounts.newEmail();
        String id = createUser(email, null, List.of("user", "admin"));
        as().get("/api/admin/users/" + id).then().statusCode(200)
                .body("email", equalTo(email))
                .body("roles", contains("user", "admin"))
                .body("activated", equalTo(true))
                .body("enabled", equalTo(true));
        Accounts.login(email, PASSWORD).then().statusCode(200);
        as().body(Map.of("email", email, "password", PASSWORD)).post("/api/admin/users").then().statusCode(409);
        as().body(Map.of("email", Accounts.newEmail(), "password", "weak")).post("/api/admin/users").then().statusCode(400)
                .body("code", equalTo("auth.weak_password"));
        as().body(Map.of("email", Accounts.newEmail(), "password", PASSWORD, "roles", List.of("root")))
                .post("/api/admin/users").then().statusCode(400).body("code", equalTo("user.unknown_role"));
        as().body(Map.of("email", "bad", "password", PASSWORD)).post("/api/admin/users").then().statusCode(400);
    }

    @Test
    void putRenamesChangesRolesAndDisables() {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        String refresh = Accounts.tokens(email, PASSWORD).getString("refreshToken");

        as().body(Map.of("displayName", "Renamed", "roles", List.of("user", "admin"))).put("/api/admin/users/" + id)
                .then().statusCode(200).body("displayName", equalTo("Renamed")).body("roles", hasItem("admin"));
        given().auth().oauth2(Accounts.accessToken(email)).get("/api/admin/users").then().statusCode(200);

        as().body(Map.of("enabled", false)).put("/api/admin/users/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("displayName", equalTo("Renamed"));
        Accounts.login(email, PASSWORD).then().statusCode(401);
        given().contentType("application/json").body(Map.of("refreshToken", refresh)).post("/api/auth/refresh")
                .then().statusCode(401);

        as().body(Map.of("enabled", true, "roles", List.of("user"))).put("/api/admin/users/" + id).then().statusCode(200)
                .body("roles", contains("user"));
        Accounts.login(email, PASSWORD).then().statusCode(200);
    }

    @Test
    void putAcceptsTheUsersOwnRepresentation() {
        UUID id = Accounts.registerActive(Accounts.newEmail());
        Map<String, Object> user = as().get("/api/admin/users/" + id).then().statusCode(200).extract().jsonPath().getMap("");
        Map<String, Object> changed = new java.util.HashMap<>(user);
        changed.put("displayName", "Round Trip");
        changed.put("enabled", false);
        as().body(changed).put("/api/admin/users/" + id).then().statusCode(200)
                .body("displayName", equalTo("Round Trip")).body("enabled", equalTo(false))
                .body("email", equalTo(user.get("email"))).body("createdAt", equalTo(user.get("createdAt")));

        // the representation read before that change is stale now: its updatedAt differs
        as().body(user).put("/api/admin/users/" + id).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("request.read_only_field"));
        Map<String, Object> current = as().get("/api/admin/users/" + id).then().extract().jsonPath().getMap("");
        for (Map.Entry<String, Object> edit : Map.<String, Object>of("id", UUID.randomUUID().toString(),
                "email", "someone-else@example.com", "createdAt", "2020-01-01T00:00:00Z").entrySet()) {
            Map<String, Object> tampered = new java.util.HashMap<>(current);
            tampered.put(edit.getKey(), edit.getValue());
            tampered.put("displayName", "Tampered");
            as().body(tampered).put("/api/admin/users/" + id).then().statusCode(400)
                    .body("code", equalTo("request.read_only_field")).body("detail", org.hamcrest.Matchers.containsString(edit.getKey()));
        }
        as().get("/api/admin/users/" + id).then().body("displayName", equalTo("Round Trip"))
                .body("email", equalTo(user.get("email")));
    }

    @Test
    void putRefusesBadInputAndChangesNothing() {
        UUID id = Accounts.registerActive(Accounts.newEmail());
        as().body(Map.of("email", "other@example.com")).put("/api/admin/users/" + id).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("request.read_only_field"));
        as().body(Map.of("password", "Another-Secret-1")).put("/api/admin/users/" + id).then().statusCode(400)
                .body("code", equalTo("request.unknown_field"));
        as().body(Map.of("roles", List.of("superuser"))).put("/api/admin/users/" + id).then().statusCode(400);
        as().body(Map.of("displayName", "")).put("/api/admin/users/" + id).then().statusCode(400);
        as().body("{\"enabled\":\"maybe\"}").put("/api/admin/users/" + id).then().statusCode(400);
        as().get("/api/admin/users/" + id).then().body("roles", contains("user")).body("enabled", equalTo(true));
        as().body(Map.of("displayName", "X")).put("/api/admin/users/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("user.not_found"));
        as().get("/api/admin/users/" + UUID.randomUUID()).then().statusCode(404);
        as().get("/api/admin/users/not-a-uuid").then().statusCode(404);
    }

    @Test
    void deletingAUserPublishesUserDeleted() {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        as().delete("/api/admin/users/" + id).then().statusCode(204);
        as().get("/api/admin/users/" + id).then().statusCode(404);
        Accounts.login(email, PASSWORD).then().statusCode(401);
        as().delete("/api/admin/users/" + id).then().statusCode(404);

        ConsumerRecord<String, String> record = UserDeletedEvents.await(id, Duration.ofSeconds(60));
        JsonNode event = UserDeletedEvents.json(record);
        assertThat(EventSchemas.validateEvent(Topics.USER_DELETED, event)).isEmpty();
        assertThat(event.path("type").asText()).isEqualTo("clipflow.user.deleted");
        assertThat(event.path("subject").asText()).isEqualTo(id.toString());
        assertThat(event.path("data").path("userId").asText()).isEqualTo(id.toString());
        assertThat(event.path("data").path("email").asText()).isEqualTo(email);
    }

    @Test
    void deleteAllNeedsConfirmationAndSparesAdmins() {
        UUID plain = Accounts.registerActive(Accounts.newEmail());
        String adminEmail = Accounts.newEmail();
        String otherAdmin = createUser(adminEmail, null, List.of("admin"));
        as().delete("/api/admin/users").then().statusCode(400).body("code", equalTo("request.confirmation_required"));
        as().get("/api/admin/users/" + plain).then().statusCode(200);

        as().queryParam("confirm", true).delete("/api/admin/users").then().statusCode(200)
                .body("deleted", greaterThanOrEqualTo(1));
        as().get("/api/admin/users/" + plain).then().statusCode(404);
        as().get("/api/admin/users/" + otherAdmin).then().statusCode(200);
        UserDeletedEvents.await(plain, Duration.ofSeconds(60));
        Accounts.login(Accounts.ADMIN_EMAIL, Accounts.ADMIN_PASSWORD).then().statusCode(200);
    }

    @Test
    void theLastActiveAdminCanBeNeitherDemotedDisabledNorDeleted() {
        String email = Accounts.newEmail();
        String last = createUser(email, null, List.of("admin"));
        String lastToken = Accounts.accessToken(email);
        RequestSpecification asLast = given().auth().oauth2(lastToken).contentType("application/json");
        List<String> others = new ArrayList<>();
        try {
            // demote every other active admin, leaving only `last`
            List<Map<String, Object>> items = asLast.queryParam("size", 100).get("/api/admin/users").path("items");
            for (int page = 0; items != null && !items.isEmpty(); page++) {
                for (Map<String, Object> u : items) {
                    if (((List<?>) u.get("roles")).contains("admin") && !u.get("id").equals(last)
                            && Boolean.TRUE.equals(u.get("enabled")) && Boolean.TRUE.equals(u.get("activated"))) {
                        others.add((String) u.get("id"));
                    }
                }
                items = given().auth().oauth2(lastToken).queryParam("size", 100).queryParam("page", page + 1)
                        .get("/api/admin/users").path("items");
            }
            for (String other : others) {
                given().auth().oauth2(lastToken).contentType("application/json").body(Map.of("roles", List.of("user")))
                        .put("/api/admin/users/" + other).then().statusCode(200);
            }
            given().auth().oauth2(lastToken).contentType("application/json").body(Map.of("roles", List.of("user")))
                    .put("/api/admin/users/" + last).then().statusCode(409).body("code", equalTo("user.last_admin"));
            given().auth().oauth2(lastToken).contentType("application/json").body(Map.of("enabled", false))
                    .put("/api/admin/users/" + last).then().statusCode(409);
            given().auth().oauth2(lastToken).delete("/api/admin/users/" + last).then().statusCode(409)
                    .contentType("application/problem+json");
            given().auth().oauth2(lastToken).get("/api/admin/users/" + last).then().statusCode(200)
                    .body("roles", hasItem("admin"));
        } finally {
            for (String other : others) {
                given().auth().oauth2(lastToken).contentType("application/json")
                        .body(Map.of("roles", List.of("user", "admin"))).put("/api/admin/users/" + other);
            }
            bootstrap.ensureAdmin();
        }
    }

    private RequestSpecification as() {
        return given().auth().oauth2(admin).contentType("application/json");
    }

    private String createUser(String email, String displayName, List<String> roles) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "password", PASSWORD, "roles", roles));
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        return as().body(body).post("/api/admin/users").then().statusCode(201).extract().path("id");
    }
}
