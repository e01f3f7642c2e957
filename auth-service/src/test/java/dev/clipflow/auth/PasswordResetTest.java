package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.token.OpaqueTokens;
import dev.clipflow.auth.user.OneTimeTokenRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class PasswordResetTest {

    @Inject
    OneTimeTokenRepository oneTimeTokens;

    @Test
    void resetByEmailSetsANewPasswordAndEndsSessions() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String oldRefresh = Accounts.tokens(email, PASSWORD).getString("refreshToken");

        requestReset(email);
        assertThat(Accounts.body(Accounts.awaitMail(email, "Reset"))).contains("https://app.clipflow.test/reset-password?token=");
        String token = Accounts.mailToken(email, "Reset");

        confirm(token, "weak").then().statusCode(400).body("code", equalTo("auth.weak_password"));
        // a refused weak password does not spend the token
        confirm(token, "Fresh-Password-8").then().statusCode(204);
        confirm(token, "Other-Password-9").then().statusCode(400).body("code", equalTo("auth.token_invalid"));

        Accounts.login(email, PASSWORD).then().statusCode(401);
        Accounts.login(email, "Fresh-Password-8").then().statusCode(200);
        given().contentType("application/json").body(Map.of("refreshToken", oldRefresh)).post("/api/auth/refresh")
                .then().statusCode(401);
    }

    @Test
    void unknownAddressesGetTheSameAcceptedAnswerAndNoMail() {
        String unknown = Accounts.newEmail();
        requestReset(unknown);
        String known = Accounts.newEmail();
        Accounts.registerActive(known);
        requestReset(known);
        Accounts.awaitMail(known, "Reset");
        assertThat(Accounts.mails(unknown, "Reset")).isEmpty();
    }

    @Test
    void expiredAndUnknownResetTokensAreRefused() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        requestReset(email);
        String token = Accounts.mailToken(email, "Reset");
        QuarkusTransaction.requiringNew().run(() -> oneTimeTokens.update("expiresAt = ?1 where tokenHash = ?2",
                Instant.now().minusSeconds(1), OpaqueTokens.hash(token)));
        confirm(token, "Fresh-Password-8").then().statusCode(400).body("code", equalTo("auth.token_expired"));
        confirm("nonsense", "Fresh-Password-8").then().statusCode(400).body("code", equalTo("auth.token_invalid"));
        Accounts.login(email, PASSWORD).then().statusCode(200);
    }

    @Test
    void anActivationTokenCannotResetAPassword() {
        String email = Accounts.newEmail();
        Accounts.register(email, PASSWORD).then().statusCode(201);
        String activation = Accounts.mailToken(email, "Activate");
        confirm(activation, "Fresh-Password-8").then().statusCode(400).body("code", equalTo("auth.token_invalid"));
    }

    @Test
    void malformedResetRequestsAre400() {
        given().contentType("application/json").body(Map.of("email", "nope")).post("/api/auth/password-reset")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("token", "x")).post("/api/auth/password-reset/confirm")
                .then().statusCode(400).body("code", equalTo("request.invalid"));
    }

    private static void requestReset(String email) {
        Accounts.client().contentType("application/json").body(Map.of("email", email)).post("/api/auth/password-reset")
                .then().statusCode(202);
    }

    private static io.restassured.response.Response confirm(String token, String password) {
        return given().contentType("application/json").body(Map.of("token", token, "newPassword", password))
                .post("/api/auth/password-reset/confirm");
    }
}
