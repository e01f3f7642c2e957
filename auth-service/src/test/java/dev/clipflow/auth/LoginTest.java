package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.token.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class LoginTest {

    @Inject
    SigningKeys keys;

    @Test
    void loginAnswersATokenPairAndSetsHttpOnlyCookies() throws Exception {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        Response response = Accounts.login(email, PASSWORD);
        response.then().statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("accessToken", notNullValue())
                .body("refreshToken", notNullValue());

        Cookie access = response.getDetailedCookie("access_token");
        assertThat(access.getValue()).isEqualTo(response.path("accessToken"));
        assertThat(access.isHttpOnly()).isTrue();
        assertThat(access.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(access.getPath()).isEqualTo("/");
        assertThat(access.getMaxAge()).isEqualTo(900);
        Cookie refresh = response.getDetailedCookie("refresh_token");
        assertThat(refresh.getValue()).isEqualTo(response.path("refreshToken"));
        assertThat(refresh.isHttpOnly()).isTrue();
        assertThat(refresh.getPath()).isEqualTo("/api/auth");

        // the access token carries what every service relies on
        String token = response.path("accessToken");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("RS256");
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(keys.current().keyId());
        JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
        assertThat(claims.getSubject()).isEqualTo(id.toString());
        assertThat(claims.getIssuer()).isEqualTo("https://clipflow.test/auth");
        assertThat(claims.getStringClaimValue("upn")).isEqualTo(email);
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("user");
        assertThat(claims.getJwtId()).isNotBlank();
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(900);
    }

    @Test
    void meAnswersTheStoredUserWithBearerOrCookie() {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        String token = Accounts.accessToken(email);
        given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200)
                .body("id", equalTo(id.toString()))
                .body("email", equalTo(email))
                .body("displayName", equalTo(email.substring(0, email.indexOf('@'))))
                .body("roles", containsInAnyOrder("user"))
                .body("createdAt", notNullValue());
        given().cookie("access_token", token).get("/api/auth/me").then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        Response wrongPassword = Accounts.login(email, "Wrong-Password-1");
        Response unknownEmail = Accounts.login(Accounts.newEmail(), PASSWORD);
        wrongPassword.then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("auth.invalid_credentials"));
        unknownEmail.then().statusCode(401);
        assertThat(unknownEmail.asString().replace("\"instance\":\"/api/auth/login\"", ""))
                .isEqualTo(wrongPassword.asString().replace("\"instance\":\"/api/auth/login\"", ""));
        assertThat(wrongPassword.getCookies()).isEmpty();

        String inactive = Accounts.newEmail();
        Accounts.register(inactive, PASSWORD).then().statusCode(201);
        assertThat(Accounts.login(inactive, PASSWORD).asString()).isEqualTo(wrongPassword.asString());
    }

    @Test
    void failedLoginsAreLimitedPerAccount() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String address = "192.168.78." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 5; i++) {
            login(address, email, "Wrong-Password-" + i).then().statusCode(401);
        }
        Response blocked = login(address, email, PASSWORD);
        blocked.then().statusCode(429).contentType("application/problem+json")
                .body("code", equalTo("auth.too_many_attempts"))
                .header("Retry-After", notNullValue());
        long retryAfter = Long.parseLong(blocked.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 900L);
        // other accounts are not affected
        String other = Accounts.newEmail();
        Accounts.registerActive(other);
        Accounts.login(other, PASSWORD).then().statusCode(200);
    }

    @Test
    void failedLoginsAreLimitedPerClientAddress() {
        String address = "192.168.77." + (1 + (int) (Math.random() * 250));
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        for (int i = 0; i < 8; i++) {
            given().header("X-Forwarded-For", address).contentType("application/json")
                    .body(Map.of("email", Accounts.newEmail(), "password", "Wrong-Password-1"))
                    .post("/api/auth/login").then().statusCode(401);
        }
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(429).header("Retry-After", notNullValue());
        // the same account from another address still works
        Accounts.login(email, PASSWORD).then().statusCode(200);
    }

    @Test
    void malformedLoginsAre400() {
        Accounts.client().contentType("application/json").body(Map.of("email", "nope", "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(400).body("code", equalTo("request.invalid"));
        Accounts.client().contentType("application/json").body(Map.of("email", Accounts.newEmail()))
                .post("/api/auth/login").then().statusCode(400).body("code", equalTo("request.invalid"));
    }

    private static Response login(String address, String email, String password) {
        return given().header("X-Forwarded-For", address).contentType("application/json")
                .body(Map.of("email", email, "password", password)).post("/api/auth/login");
    }
}
