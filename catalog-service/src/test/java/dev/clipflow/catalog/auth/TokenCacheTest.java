package dev.clipflow.catalog.auth;

import dev.clipflow.catalog.support.Fixtures;
import dev.clipflow.catalog.video.Visibility;
import dev.clipflow.problem.auth.VerifiedTokens;
import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A token is verified once, then reused from {@link VerifiedTokens} for the requests that repeat it: the caller,
 * their roles and every refusal stay what full verification gives.
 */
@QuarkusTest
class TokenCacheTest {

    @Inject
    Fixtures fixtures;

    @Inject
    VerifiedTokens tokens;

    @Inject
    CachedTokenIdentityProvider cached;

    @Test
    void aRepeatedTokenIsTheSameCallerWithTheSameRights() {
        UUID owner = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Cached", Visibility.PRIVATE);
        String token = JwtResource.tokens().user(owner);
        String stranger = JwtResource.tokens().user(other);
        for (int i = 0; i < 3; i++) {
            RestAssured.given().auth().oauth2(token).get("/api/videos/{id}", id).then().statusCode(200)
                    .body("ownerId", equalTo(owner.toString()));
            RestAssured.given().auth().oauth2(stranger).get("/api/videos/{id}", id).then().statusCode(404);
            RestAssured.given().auth().oauth2(token).get("/api/admin/videos").then().statusCode(403);
        }
        assertThat(tokens.get(token)).as("kept after its first verification").isNotNull();
        assertThat(tokens.get(token).getSubject()).isEqualTo(owner.toString());

        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            RestAssured.given().auth().oauth2(admin).get("/api/admin/videos").then().statusCode(200);
        }
        assertThat(tokens.get(admin).getGroups()).contains("admin");
    }

    /**
     * What the requests after the first are signed in with: the identity smallrye-jwt's validator builds (the token
     * as principal and credential, its groups as roles), from the cache without verifying; an unknown token is left
     * to the validator (no identity from here).
     */
    @Test
    void aCachedTokenSignsInWithTheValidatorsIdentityAndAnUnknownOneIsLeftToIt() {
        UUID admin = UUID.randomUUID();
        String token = JwtResource.tokens().admin(admin);
        RestAssured.given().auth().oauth2(token).get("/api/admin/videos").then().statusCode(200);
        SecurityIdentity identity = cached.authenticate(new TokenAuthenticationRequest(new TokenCredential(token,
                "bearer")), null).await().indefinitely();
        assertThat(identity.getPrincipal()).isInstanceOf(JsonWebToken.class);
        assertThat(((JsonWebToken) identity.getPrincipal()).getSubject()).isEqualTo(admin.toString());
        assertThat(identity.getRoles()).contains("admin");
        assertThat(identity.getCredential(TokenCredential.class).getToken()).isEqualTo(token);
        assertThat(cached.authenticate(new TokenAuthenticationRequest(new TokenCredential(
                JwtResource.tokens().admin(admin), "bearer")), null).await().indefinitely())
                .as("never verified here: smallrye-jwt's validator verifies it").isNull();
    }

    @Test
    void aTokenChangedAfterItWasAcceptedIsRefused() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Tampered", Visibility.PRIVATE);
        String token = JwtResource.tokens().user(owner);
        RestAssured.given().auth().oauth2(token).get("/api/videos/{id}", id).then().statusCode(200);
        int dot = token.lastIndexOf('.');
        String signature = token.substring(dot + 1);
        char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, dot + 1) + signature.substring(0, 10) + flipped + signature.substring(11);
        RestAssured.given().auth().oauth2(forged).get("/api/videos/{id}", id).then().statusCode(401);
        String otherClaims = token.substring(0, token.indexOf('.') + 1)
                + JwtResource.tokens().user(UUID.randomUUID()).split("\\.")[1] + token.substring(dot);
        RestAssured.given().auth().oauth2(otherClaims).get("/api/videos/{id}", id).then().statusCode(401);
        assertThat(tokens.get(forged)).isNull();
        RestAssured.given().auth().oauth2(token).get("/api/videos/{id}", id).then().statusCode(200);
    }

    @Test
    void expiredWrongIssuerForeignAndUnsignedTokensAreRefusedEveryTime() {
        UUID owner = UUID.randomUUID();
        UUID id = fixtures.ready(owner, "Refused", Visibility.PLATFORM);
        for (String token : new String[] {JwtResource.tokens().expired(owner), JwtResource.tokens().wrongIssuer(owner),
                JwtResource.tokens().foreignSigned(owner), JwtResource.tokens().unsigned(owner)}) {
            for (int i = 0; i < 2; i++) {
                RestAssured.given().auth().oauth2(token).get("/api/videos/{id}", id).then().statusCode(401);
            }
            assertThat(tokens.get(token)).isNull();
        }
    }
}
