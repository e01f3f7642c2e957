package dev.clipflow.storage;

import dev.clipflow.storage.local.LocalBlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.nio.file.Path;

/** Makes the configured {@link BlobStore} injectable in every service that depends on this module. */
@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) {
        return switch (config.type()) {
            case "local" -> new LocalBlobStore(Path.of(config.localRoot()));
            default -> throw new IllegalStateException("Unknown clipflow.storage.type " + config.type()
                    + " (expected local or gcs)");
        };
    }
}
