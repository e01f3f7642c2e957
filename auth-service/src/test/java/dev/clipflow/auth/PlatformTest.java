package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.token.SigningKeys;
import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import dev.clipflow.testinfra.servers.JwtIssuer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The platform conventions with tokens auth-service issues itself (a real sign-in), and the negative
 * tokens (expired, foreign key, unsigned, wrong issuer) minted with auth-service's own signing key.
 */
@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Inject
    SigningKeys keys;

    @Override
    protected String protectedPath() {
        return "/api/auth/me";
    }

    @Override
    protected String serviceName() {
        return "auth-service";
    }

    @Override
    protected String validToken() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        return Accounts.accessToken(email);
    }

    @Override
    protected JwtIssuer issuer() {
        return JwtIssuer.offline(keys.current().publicKey(), keys.current().privateKey(), keys.current().keyId());
    }
}
