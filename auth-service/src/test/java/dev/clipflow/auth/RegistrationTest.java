package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.user.OneTimeTokenRepository;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.auth.token.OpaqueTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class RegistrationTest {

    @Inject
    UserRepository users;

    @Inject
    OneTimeTokenRepository oneTimeTokens;

    @Test
    void registrationSendsAnActivationLinkAndActivationEnablesSignIn() {
        String email = Accounts.newEmail();
        given().contentType("application/json")
                .body(Map.of("email", email.toUpperCase(), "password", PASSWORD, "displayName", "Ada"))
                .post("/api/auth/register")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("email", equalTo(email))
                .body("displayName", equalTo("Ada"))
                .body("roles", contains("user"))
                .body("createdAt", notNullValue())
                .body("passwordHash", equalTo(null));

        MimeMessage mail = Accounts.awaitMail(email, "Activate");
        assertThat(Accounts.body(mail)).contains("https://app.clipflow.test/api/auth/activate?token=");
        Accounts.login(email, PASSWORD).then().statusCode(401).body("code", equalTo("auth.invalid_credentials"));

        String token = Accounts.mailToken(email, "Activate");
        given().contentType("application/json").body(Map.of("token", token)).post("/api/auth/activate")
                .then().statusCode(200).body("email", equalTo(email));
        Accounts.login(email, PASSWORD).then().statusCode(200);

        // single use
        given().contentType("application/json").body(Map.of("token", token)).post("/api/auth/activate")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("auth.token_invalid"));
    }

    @Test
    void theEmailedLinkActivatesWithGet() {
        String email = Accounts.newEmail();
        Accounts.register(email, PASSWORD).then().statusCode(201);
        String token = Accounts.mailToken(email, "Activate");
        given().queryParam("token", token).get("/api/auth/activate").then().statusCode(200).body("email", equalTo(email));
        given().queryParam("token", "not-a-token").get("/api/auth/activate").then().statusCode(400)
                .body("code", equalTo("auth.token_invalid"));
    }

    @Test
    void anExpiredActivationLinkIsRefused() {
        String email = Accounts.newEmail();
        Accounts.register(email, PASSWORD).then().statusCode(201);
        String token = Accounts.mailToken(email, "Activate");
        QuarkusTransaction.requiringNew().run(() -> oneTimeTokens.update("expiresAt = ?1 where tokenHash = ?2",
                Instant.now().minusSeconds(1), OpaqueTokens.hash(token)));
        given().contentType("application/json").body(Map.of("token", token)).post("/api/auth/activate")
                .then().statusCode(400).body("code", equalTo("auth.token_expired"));
        Accounts.login(email, PASSWORD).then().statusCode(401);
    }

    @Test
    void duplicateEmailIsAConflict() {
        String email = Accounts.newEmail();
        Accounts.register(email, PASSWORD).then().statusCode(201);
        Accounts.register(email.toUpperCase(), PASSWORD).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("auth.email_taken"));
    }

    @Test
    void weakPasswordsAreRefused() {
        for (String weak : new String[] {"short1!", "onlyletterslong", "1234567890123", "password123", "aaaaaaaaaa1"}) {
            String email = Accounts.newEmail();
            Accounts.register(email, weak).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("auth.weak_password"));
            assertNoUser(email);
        }
        String email = Accounts.newEmail();
        Accounts.register(email, email.substring(0, email.indexOf('@')) + "-1").then().statusCode(400)
                .body("code", equalTo("auth.weak_password"));
        Accounts.register(Accounts.newEmail(), "Ää-".repeat(20)).then().statusCode(400)
                .body("code", equalTo("auth.weak_password"));
    }

    @Test
    void badInputIsA400AndCreatesNothing() {
        for (String bad : new String[] {"not-an-email", "a@b", "two@@example.com", "spaces in@example.com", ""}) {
            Accounts.register(bad, PASSWORD).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("request.invalid"));
        }
        given().contentType("application/json").body("{\"password\":\"" + PASSWORD + "\"}").post("/api/auth/register")
                .then().statusCode(400).body("code", equalTo("request.invalid"));
        given().contentType("application/json").body("{}").post("/api/auth/register").then().statusCode(400);
        given().contentType("application/json").post("/api/auth/register").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"email\":").post("/api/auth/register").then().statusCode(400)
                .body("code", equalTo("request.malformed_json"));
        String email = Accounts.newEmail();
        given().contentType("application/json")
                .body(Map.of("email", email, "password", PASSWORD, "displayName", "x".repeat(101)))
                .post("/api/auth/register").then().statusCode(400).body("code", equalTo("request.invalid"));
        assertNoUser(email);
    }

    @Test
    void rolesCannotBeSmuggledIntoARegistration() {
        for (String field : new String[] {"\"roles\":[\"admin\"]", "\"admin\":true", "\"groups\":[\"admin\"]",
                "\"activated\":true"}) {
            String email = Accounts.newEmail();
            given().contentType("application/json")
                    .body("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"," + field + "}")
                    .post("/api/auth/register")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("request.unknown_field"));
            assertNoUser(email);
        }
    }

    @Test
    void oversizedBodiesAreRefusedBeforeBeingRead() {
        String email = Accounts.newEmail();
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"displayName\":\""
                + "x".repeat(200_000) + "\"}";
        given().contentType("application/json").body(body).post("/api/auth/register")
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("request.too_large"));
        given().contentType("application/json").body(body.replace("x".repeat(200_000), "x".repeat(2_000_000)))
                .post("/api/auth/register").then().statusCode(413);
        assertNoUser(email);
    }

    private void assertNoUser(String email) {
        assertThat(QuarkusTransaction.requiringNew().call(() -> users.findByEmail(email.trim().toLowerCase()).isPresent()))
                .as("user %s exists", email).isFalse();
    }
}
