package dev.clipflow.testinfra.servers;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Stands in for auth-service in the tests of the other services: an RSA key pair, its JWKS served
 * over real HTTP, and tokens signed with it in the shape auth-service issues ({@code sub}, {@code upn},
 * {@code groups}, {@code iss}, {@code exp}, {@code jti}). Also signs with a foreign key, for the
 * negative tests every service must have.
 */
public final class JwtIssuer implements AutoCloseable {

    public static final String ISSUER = "https://clipflow.test/auth";

    private final String issuer;
    private final RsaJsonWebKey key;
    private final RsaJsonWebKey foreignKey;
    private final HttpServer server;

    private JwtIssuer(String issuer, RsaJsonWebKey key, RsaJsonWebKey foreignKey, HttpServer server) {
        this.issuer = issuer;
        this.key = key;
        this.foreignKey = foreignKey;
        this.server = server;
    }

    public static JwtIssuer start() {
        return start(ISSUER);
    }

    /** An issuer with its own fresh key pair that puts {@code issuer} in its tokens' {@code iss}. */
    public static JwtIssuer start(String issuerName) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-" + UUID.randomUUID());
            key.setAlgorithm("RS256");
            key.setUse("sig");
            RsaJsonWebKey foreign = RsaJwkGenerator.generateJwk(2048);
            foreign.setKeyId(key.getKeyId());
            byte[] jwks = new JsonWebKeySet(key).toJson().getBytes(StandardCharsets.UTF_8);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/auth/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            JwtIssuer issuer = new JwtIssuer(issuerName, key, foreign, server);
            // OAuth2 client-credentials token endpoint, as auth-service offers it to services
            // (POST /internal/auth/token, grant_type=client_credentials). Any client id/secret works.
            server.createContext("/internal/auth/token", exchange -> {
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String client = "test-client";
                for (String pair : form.split("&")) {
                    if (pair.startsWith("client_id=")) {
                        client = java.net.URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8);
                    }
                }
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null && auth.startsWith("Basic ")) {
                    String decoded = new String(java.util.Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
                    client = decoded.substring(0, decoded.indexOf(':'));
                }
                byte[] body = ("{\"access_token\":\"" + issuer.service(client)
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return issuer;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Signs with the given key pair and serves nothing: for auth-service's own tests, where the service
     * publishes the JWKS itself. Negative tokens (expired, foreign key, unsigned, wrong issuer) work as usual.
     */
    public static JwtIssuer offline(java.security.interfaces.RSAPublicKey publicKey, java.security.PrivateKey privateKey,
            String keyId) {
        try {
            RsaJsonWebKey key = new RsaJsonWebKey(publicKey);
            key.setPrivateKey(privateKey);
            key.setKeyId(keyId);
            key.setAlgorithm("RS256");
            RsaJsonWebKey foreign = RsaJwkGenerator.generateJwk(2048);
            foreign.setKeyId(keyId);
            return new JwtIssuer(ISSUER, key, foreign, null);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public String jwksUrl() {
        requireServer();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/auth/jwks";
    }

    /** The client-credentials token endpoint URL (for quarkus-oidc-client in tests). */
    public String tokenUrl() {
        requireServer();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/internal/auth/token";
    }

    /** A service token as auth-service issues to internal callers: {@code sub=service:<name>}, group {@code service}. */
    public String service(String name) {
        return token("service:" + name, name, Set.of("service"), Duration.ofMinutes(5), issuer, false);
    }

    /** A valid 15-minute access token of a plain user. */
    public String user(UUID id) {
        return token(id, id + "@example.com", Set.of("user"), Duration.ofMinutes(15), issuer, false);
    }

    /** A valid 15-minute access token of an admin. */
    public String admin(UUID id) {
        return token(id, id + "@example.com", Set.of("user", "admin"), Duration.ofMinutes(15), issuer, false);
    }

    /** A token that expired five minutes ago (beyond any clock-skew allowance). */
    public String expired(UUID id) {
        return token(id, id + "@example.com", Set.of("user"), Duration.ofMinutes(-5), issuer, false);
    }

    /** A token from another issuer. */
    public String wrongIssuer(UUID id) {
        return token(id, id + "@example.com", Set.of("user"), Duration.ofMinutes(15), "https://evil.example", false);
    }

    /** A token signed by a key that is not in the JWKS (same key id). */
    public String foreignSigned(UUID id) {
        return token(id, id + "@example.com", Set.of("user", "admin"), Duration.ofMinutes(15), issuer, true);
    }

    /** An unsigned token ({@code alg: none}) claiming admin. */
    public String unsigned(UUID id) {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long now = Instant.now().getEpochSecond();
        String claims = base64("{\"iss\":\"" + issuer + "\",\"sub\":\"" + id + "\",\"upn\":\"" + id
                + "@example.com\",\"groups\":[\"user\",\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 900) + "}");
        return header + "." + claims + ".";
    }

    /** Any token, for tests that need an unusual one. */
    public String token(UUID id, String email, Set<String> groups, Duration lifetime, String issuer, boolean foreign) {
        return token(id.toString(), email, groups, lifetime, issuer, foreign);
    }

    private String token(String subject, String email, Set<String> groups, Duration lifetime, String issuer,
            boolean foreign) {
        Instant now = Instant.now();
        RsaJsonWebKey signer = foreign ? foreignKey : key;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setClaim("upn", email);
        claims.setStringListClaim("groups", List.copyOf(groups));
        claims.setIssuedAt(NumericDate.fromSeconds(now.minus(Duration.ofMinutes(lifetime.isNegative() ? 30 : 0))
                .getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getRsaPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void requireServer() {
        if (server == null) {
            throw new IllegalStateException("This issuer serves no endpoints (offline)");
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
