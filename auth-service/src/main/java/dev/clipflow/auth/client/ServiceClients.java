package dev.clipflow.auth.client;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.token.AccessTokens;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The OAuth2 client-credentials grant for internal services, with clients and secrets from configuration. */
@ApplicationScoped
public class ServiceClients {

    private final Map<String, byte[]> secrets = new HashMap<>();
    private final AccessTokens tokens;

    public ServiceClients(AuthConfig config, AccessTokens tokens) {
        this.tokens = tokens;
        config.serviceClients().forEach((id, secret) -> add(id, secret));
        for (String entry : config.serviceClientList().orElse(List.of())) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                add(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
            }
        }
        Log.infof("Service clients: %s", secrets.keySet());
    }

    private void add(String id, String secret) {
        if (!id.isBlank() && !secret.isBlank()) {
            secrets.put(id, digest(secret));
        }
    }

    /** A service token for a known client with its secret; anything else is 401 {@code auth.invalid_client}. */
    public AccessTokens.Signed token(String clientId, String secret) {
        byte[] expected = clientId == null ? null : secrets.get(clientId);
        byte[] given = digest(secret == null ? "" : secret);
        // compare even for unknown clients so timing does not tell which ids exist
        boolean ok = MessageDigest.isEqual(expected == null ? digest("\0unknown") : expected, given) && expected != null;
        if (!ok) {
            throw new ProblemException(Problem.of(401, "auth.invalid_client", "Unauthorized",
                    "Unknown client or wrong client secret.").with("error", "invalid_client"));
        }
        return tokens.service(clientId);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
