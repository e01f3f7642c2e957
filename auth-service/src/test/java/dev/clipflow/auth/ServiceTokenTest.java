package dev.clipflow.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The client-credentials grant internal services use (team notes). */
@QuarkusTest
class ServiceTokenTest {

    @Test
    void clientCredentialsInTheFormGiveAServiceToken() throws Exception {
        Response response = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "upload-service")
                .formParam("client_secret", "upload-secret-test")
                .post("/internal/auth/token");
        response.then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("access_token", notNullValue());
        JwtClaims claims = claims(response.path("access_token"));
        assertThat(claims.getSubject()).isEqualTo("service:upload-service");
        assertThat(claims.getStringClaimValue("upn")).isEqualTo("upload-service");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("service");
        assertThat(claims.getIssuer()).isEqualTo("https://clipflow.test/auth");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);
        assertThat(claims.getJwtId()).isNotBlank();

        // the token is accepted (it is no user, so there is no /me)
        given().auth().oauth2(response.<String>path("access_token")).get("/api/auth/me").then().statusCode(404)
                .body("code", equalTo("user.not_found"));
    }

    @Test
    void httpBasicWorksTooAndClientsFromTheListAreKnown() {
        given().auth().preemptive().basic("catalog-service", "catalog-secret-test")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/internal/auth/token").then().statusCode(200).body("token_type", equalTo("Bearer"));
    }

    @Test
    void anUndecodableFormIs400NotA500() {
        // found by the system tests' bad-input sweep: the framework's form parser failed with a 500
        given().contentType("application/x-www-form-urlencoded").body("%%%&&&=%zz").post("/internal/auth/token")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("code", equalTo("request.malformed_body"));
    }

    @Test
    void wrongSecretOrUnknownClientIs401() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", "upload-service").formParam("client_secret", "wrong")
                .post("/internal/auth/token").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("auth.invalid_client")).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("nobody", "upload-secret-test")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/internal/auth/token").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/internal/auth/token").then().statusCode(401);
    }

    @Test
    void otherGrantsAre400() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("client_id", "upload-service").formParam("client_secret", "upload-secret-test")
                .post("/internal/auth/token").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("auth.unsupported_grant_type"));
    }

    private static JwtClaims claims(String token) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        return JwtClaims.parse(jws.getUnverifiedPayload());
    }
}
