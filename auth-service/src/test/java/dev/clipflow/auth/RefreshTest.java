package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.token.OpaqueTokens;
import dev.clipflow.auth.token.RefreshTokenRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class RefreshTest {

    @Inject
    RefreshTokenRepository refreshTokens;

    @Test
    void refreshRotatesTheToken() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        JsonPath first = Accounts.tokens(email, PASSWORD);
        Response next = refresh(first.getString("refreshToken"));
        next.then().statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("refreshToken", not(equalTo(first.getString("refreshToken"))));
        assertThat(next.getCookie("refresh_token")).isEqualTo(next.path("refreshToken"));
        given().auth().oauth2(next.<String>path("accessToken")).get("/api/auth/me").then().statusCode(200)
                .body("email", equalTo(email));
        refresh(next.path("refreshToken")).then().statusCode(200);
    }

    @Test
    void theRefreshCookieWorksWithoutABody() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String token = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        Response response = given().cookie("refresh_token", token).post("/api/auth/refresh");
        response.then().statusCode(200);
        assertThat(response.getCookie("access_token")).isNotBlank();
    }

    @Test
    void reusingARotatedTokenRevokesTheWholeFamily() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String original = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        String rotated = refresh(original).then().statusCode(200).extract().path("refreshToken");
        // an attacker replays the old token
        refresh(original).then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("auth.refresh_token_reused"));
        // the legitimate successor is revoked with it
        refresh(rotated).then().statusCode(401).body("code", equalTo("auth.invalid_refresh_token"));
        // other sessions of the user live on
        String otherSession = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        refresh(otherSession).then().statusCode(200);
    }

    @Test
    void logoutRevokesTheSessionAndClearsCookies() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String token = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        Response logout = given().cookie("refresh_token", token).post("/api/auth/logout");
        logout.then().statusCode(204);
        assertThat(logout.getDetailedCookie("access_token").getMaxAge()).isZero();
        assertThat(logout.getDetailedCookie("refresh_token").getMaxAge()).isZero();
        refresh(token).then().statusCode(401);

        String second = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        given().contentType("application/json").body(Map.of("refreshToken", second)).post("/api/auth/logout")
                .then().statusCode(204);
        refresh(second).then().statusCode(401);
        given().post("/api/auth/logout").then().statusCode(204);
    }

    @Test
    void expiredAndUnknownRefreshTokensAreRefused() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String token = Accounts.tokens(email, PASSWORD).getString("refreshToken");
        QuarkusTransaction.requiringNew().run(() -> refreshTokens.update("expiresAt = ?1 where tokenHash = ?2",
                Instant.now().minusSeconds(1), OpaqueTokens.hash(token)));
        refresh(token).then().statusCode(401).body("code", equalTo("auth.invalid_refresh_token"));
        refresh("made-up").then().statusCode(401).body("code", equalTo("auth.invalid_refresh_token"));
        given().post("/api/auth/refresh").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void changingThePasswordRevokesEverySession() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        JsonPath session = Accounts.tokens(email, PASSWORD);
        given().auth().oauth2(session.getString("accessToken")).contentType("application/json")
                .body(Map.of("currentPassword", "Not-The-One-1", "newPassword", "Brand-New-Secret-7"))
                .post("/api/auth/password").then().statusCode(400).body("code", equalTo("auth.wrong_password"));
        given().auth().oauth2(session.getString("accessToken")).contentType("application/json")
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "Brand-New-Secret-7"))
                .post("/api/auth/password").then().statusCode(204);
        refresh(session.getString("refreshToken")).then().statusCode(401);
        Accounts.login(email, PASSWORD).then().statusCode(401);
        Accounts.login(email, "Brand-New-Secret-7").then().statusCode(200);
    }

    private static Response refresh(String token) {
        return given().contentType("application/json").body(Map.of("refreshToken", token)).post("/api/auth/refresh");
    }
}
