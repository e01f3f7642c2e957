package dev.clipflow.auth.client;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.token.AccessTokens;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OAuth2 client-credentials grant for internal services, with clients and secrets from configuration
 * and from a folder of secret files (a mounted Secret). A client may have several secrets at once (the new
 * and the previous one during a rotation); each is accepted.
 */
@ApplicationScoped
@Startup
public class ServiceClients {

    /** Suffix of the file with a secret still accepted during a rotation ({@code upload-service.previous}). */
    public static final String PREVIOUS = ".previous";

    private final Map<String, List<byte[]>> secrets = new TreeMap<>();
    private final AccessTokens tokens;

    public ServiceClients(AuthConfig config, AccessTokens tokens) {
        this.tokens = tokens;
        config.serviceClients().forEach(this::add);
        for (String entry : config.serviceClientList().orElse(List.of())) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                add(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
            }
        }
        config.serviceClientDir().map(Path::of).ifPresent(this::addFolder);
        if (secrets.isEmpty() && config.requireServiceClients()) {
            throw new IllegalStateException("No service clients: upload-service and catalog-service could not get"
                    + " service tokens. Put one file per client id holding its secret into the folder"
                    + " clipflow.auth.service-client-dir (CLIPFLOW_SERVICE_CLIENT_DIR; the Helm chart mounts Secret"
                    + " clipflow-service-clients there), or set clipflow.auth.service-client-list=<id>:<secret>,...");
        }
        Log.infof("Service clients: %s", secrets.keySet());
    }

    private void addFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("clipflow.auth.service-client-dir " + dir.toAbsolutePath() + " is not a folder");
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                // a mounted Secret also holds ..data and ..<timestamp> entries; its keys are symbolic links
                if (name.startsWith(".") || !Files.isRegularFile(file)) {
                    continue;
                }
                String id = name.endsWith(PREVIOUS) ? name.substring(0, name.length() - PREVIOUS.length()) : name;
                add(id, Files.readString(file).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the client secrets in " + dir.toAbsolutePath(), e);
        }
    }

    private void add(String id, String secret) {
        if (!id.isBlank() && !secret.isBlank()) {
            secrets.computeIfAbsent(id, key -> new ArrayList<>()).add(digest(secret));
        }
    }

    /** A service token for a known client with one of its secrets; anything else is 401 {@code auth.invalid_client}. */
    public AccessTokens.Signed token(String clientId, String secret) {
        List<byte[]> expected = clientId == null ? null : secrets.get(clientId);
        byte[] given = digest(secret == null ? "" : secret);
        // compare even for unknown clients so timing does not tell which ids exist
        boolean ok = false;
        for (byte[] candidate : expected == null ? List.of(digest("\0unknown")) : expected) {
            ok |= MessageDigest.isEqual(candidate, given);
        }
        if (!ok || expected == null) {
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
