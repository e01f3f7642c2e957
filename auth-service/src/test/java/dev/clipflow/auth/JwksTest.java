package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.support.AuthKeysResource;
import dev.clipflow.auth.token.SigningKeys;
import dev.clipflow.testinfra.servers.JwtIssuer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class JwksTest {

    @Inject
    SigningKeys keys;

    @TestHTTPResource("/api/auth/jwks")
    URL jwksUrl;

    @Test
    void jwksPublishesTheSigningKeyFirstThenThePreviousOne() throws Exception {
        String previousKid = new RsaJsonWebKey((RSAPublicKey) AuthKeysResource.previous().getPublic())
                .calculateBase64urlEncodedThumbprint("SHA-256");
        given().get("/api/auth/jwks").then().statusCode(200)
                .contentType("application/json")
                .body("keys", hasSize(2))
                .body("keys[0].kid", equalTo(keys.current().keyId()))
                .body("keys[1].kid", equalTo(previousKid))
                .body("keys.kty", everyItem(equalTo("RSA")))
                .body("keys.alg", everyItem(equalTo("RS256")))
                .body("keys.use", everyItem(equalTo("sig")))
                .body("keys.d", everyItem(nullValue()))
                .body("keys.p", everyItem(nullValue()));
    }

    @Test
    void anotherServiceVerifiesTokensFromTheJwksAlone() throws Exception {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        String token = Accounts.accessToken(email);
        JwtConsumer verifier = verifier("https://clipflow.test/auth");
        JwtClaims claims = verifier.processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo(id.toString());

        assertThatThrownBy(() -> verifier("https://clipflow.local/auth").processToClaims(token))
                .isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void tokensOfThePreviousKeyStayValidDuringARotation() throws Exception {
        String email = Accounts.newEmail();
        UUID id = Accounts.registerActive(email);
        RSAPublicKey previousPublic = (RSAPublicKey) AuthKeysResource.previous().getPublic();
        String kid = new RsaJsonWebKey(previousPublic).calculateBase64urlEncodedThumbprint("SHA-256");
        String token = JwtIssuer.offline(previousPublic, AuthKeysResource.previous().getPrivate(), kid)
                .token(id, email, Set.of("user"), Duration.ofMinutes(5), JwtIssuer.ISSUER, false);
        given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String victimEmail = Accounts.newEmail();
        UUID victim = Accounts.registerActive(victimEmail);
        String email = Accounts.newEmail();
        UUID attacker = Accounts.registerActive(email);
        String[] parts = Accounts.accessToken(email).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(attacker.toString(), victim.toString())
                .replace("[\"user\"]", "[\"user\",\"admin\"]");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        given().auth().oauth2(forged).get("/api/auth/me").then().statusCode(401)
                .body("code", equalTo("auth.unauthenticated"));
        given().auth().oauth2(forged).get("/api/admin/users").then().statusCode(401);
    }

    @Test
    void aStrangerCannotMintAdminTokens() {
        JwtIssuer stranger = JwtIssuer.offline(keys.current().publicKey(), keys.current().privateKey(), keys.current().keyId());
        given().auth().oauth2(stranger.foreignSigned(UUID.randomUUID())).get("/api/admin/users").then().statusCode(401);
        given().auth().oauth2(stranger.unsigned(UUID.randomUUID())).get("/api/admin/users").then().statusCode(401);
        // a genuine token without the admin group
        given().auth().oauth2(stranger.user(UUID.randomUUID())).get("/api/admin/users").then().statusCode(403);
        given().auth().oauth2(stranger.admin(UUID.randomUUID())).get("/api/admin/users").then().statusCode(200);
        assertThat(List.of(keys.current().publishedKeyIds())).isNotEmpty();
    }

    private JwtConsumer verifier(String issuer) {
        HttpsJwks jwks = new HttpsJwks(jwksUrl.toString());
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .build();
    }
}
