package dev.clipflow.charttest;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets an operator creates before installing the chart (docs/operations.md, "Secrets"), with
 * fresh values for each run. The chart only references them (secretKeyRef, secret volumes); a pod
 * that references a Secret or key missing here fails as kubelet would fail it
 * ({@code CreateContainerConfigError}). Keep this in step with the chart's documented Secrets.
 */
final class TestSecrets {

    static final String ADMIN_EMAIL = "admin@clipflow.test";

    private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();

    /** {@code mongoUrl}: the connection string of the test's MongoDB server (it goes into a Secret). */
    TestSecrets() {
        KeyPair signing = rsa();
        put("clipflow-jwt", "signing-key.pem", pem("PRIVATE KEY", signing.getPrivate().getEncoded()));
        put("clipflow-service-clients", "upload-service", random());
        put("clipflow-service-clients", "catalog-service", random());
        put("clipflow-share-key", "share-key", random() + random());
        put("clipflow-admin", "email", ADMIN_EMAIL);
        put("clipflow-admin", "password", "Admin-" + random());
        put("clipflow-postgresql", "username", "clipflow");
        put("clipflow-postgresql", "password", random());
        put("clipflow-smtp", "username", "clipflow-mailer");
        put("clipflow-smtp", "password", random());
    }

    void put(String secret, String key, String value) {
        secrets.computeIfAbsent(secret, s -> new LinkedHashMap<>()).put(key, value);
    }

    Optional<Map<String, String>> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    /** A value that must be there (the test's own use). */
    String value(String secret, String key) {
        return secret(secret).map(s -> s.get(key))
                .orElseThrow(() -> new IllegalStateException("no test secret " + secret + "/" + key));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
