package dev.clipflow.catalog.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The quota-service stand-in, a fresh blob store folder and the test share key. */
public class CatalogTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String PUBLIC_BASE = "http://clipflow.test";

    private static volatile QuotaStub quota;
    private static volatile Path blobs;

    @Override
    public Map<String, String> start() {
        quota = QuotaStub.start();
        try {
            blobs = Files.createTempDirectory("clipflow-catalog-blobs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.rest-client.quota.url", quota.url(),
                // no upload-service here: the stand-in answers 404 without a problem code (tests see the 503)
                "quarkus.rest-client.upload.url", quota.url() + "/no-upload-service",
                "clipflow.storage.local-root", blobs.toString(),
                "clipflow.catalog.share.key", "test-share-key-0123456789abcdef0123456789",
                "clipflow.catalog.public-base-url", PUBLIC_BASE,
                "clipflow.catalog.bandwidth.flush-interval", "1s");
    }

    public static QuotaStub quota() {
        return quota;
    }

    public static Path blobs() {
        return blobs;
    }

    @Override
    public void stop() {
        if (quota != null) {
            quota.close();
        }
    }
}
