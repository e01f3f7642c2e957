package dev.clipflow.auth.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * An empty key folder (the service generates its key pair there, as on a developer's first start) and a
 * "previous" key pair whose public key is published during a simulated rotation. Nothing is committed.
 */
public class AuthKeysResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KeyPair previous;
    private static volatile Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("clipflow-auth-keys-");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            previous = generator.generateKeyPair();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "clipflow.auth.keys.dir", dir.toString(),
                "clipflow.auth.keys.previous-public-keys",
                Base64.getEncoder().encodeToString(previous.getPublic().getEncoded()));
    }

    /** The key pair of the simulated previous signing key. */
    public static KeyPair previous() {
        return previous;
    }

    public static Path dir() {
        return dir;
    }

    @Override
    public void stop() {
    }
}
