package dev.clipflow.testinfra.resources;

import dev.clipflow.testinfra.servers.JwtIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A JWKS endpoint standing in for auth-service, and a token minter ({@link #tokens()}) for the
 * tests of every other service: they verify tokens exactly as in production, from JWKS alone.
 */
public class JwtResource implements QuarkusTestResourceLifecycleManager {

    private static volatile JwtIssuer issuer;

    @Override
    public Map<String, String> start() {
        issuer = JwtIssuer.start();
        return Map.of(
                "mp.jwt.verify.publickey.location", issuer.jwksUrl(),
                "mp.jwt.verify.issuer", JwtIssuer.ISSUER,
                "clipflow.test.token-url", issuer.tokenUrl());
    }

    public static JwtIssuer tokens() {
        return issuer;
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }
}
