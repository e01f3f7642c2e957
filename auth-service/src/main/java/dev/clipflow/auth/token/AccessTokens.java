package dev.clipflow.auth.token;

import dev.clipflow.auth.config.AuthConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Signs RS256 access tokens: {@code iss}, {@code sub}, {@code upn}, {@code groups}, {@code iat}, {@code exp}, {@code jti}. */
@ApplicationScoped
public class AccessTokens {

    public static final String SERVICE_GROUP = "service";

    private final SigningKeys keys;
    private final AuthConfig config;

    public AccessTokens(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** A signed token and how long it lives. */
    public record Signed(String token, Duration lifetime) {
    }

    /** A user's access token. */
    public Signed user(UUID userId, String email, Set<String> groups) {
        return sign(userId.toString(), email, groups, config.accessTokenLifetime());
    }

    /** A service token of the client-credentials grant: {@code sub=service:<id>}, group {@code service}. */
    public Signed service(String clientId) {
        return sign("service:" + clientId, clientId, Set.of(SERVICE_GROUP), config.serviceTokenLifetime());
    }

    private Signed sign(String subject, String upn, Set<String> groups, Duration lifetime) {
        KeyMaterial key = keys.current();
        Instant now = Instant.now();
        String token = Jwt.issuer(config.issuer())
                .subject(subject)
                .upn(upn)
                .groups(groups)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(key.keyId())
                .sign(key.privateKey());
        return new Signed(token, lifetime);
    }
}
