package dev.clipflow.storage;

import com.google.cloud.storage.StorageOptions;
import dev.clipflow.storage.gcs.GcsBlobStore;
import dev.clipflow.storage.local.LocalBlobStore;
import dev.clipflow.storage.staging.GcsUploadStaging;
import dev.clipflow.storage.staging.LocalUploadStaging;
import dev.clipflow.storage.staging.UploadStaging;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.nio.file.Path;

/** Makes the configured {@link BlobStore} injectable in every service that depends on this module. */
@ApplicationScoped
public class BlobStoreProducer {

    private volatile BlobStore created;

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) {
        return instance(config);
    }

    private synchronized BlobStore instance(StorageConfig config) {
        if (created == null) {
            created = create(config);
        }
        return created;
    }

    private static BlobStore create(StorageConfig config) {
        return switch (config.type()) {
            case "local" -> new LocalBlobStore(Path.of(config.localRoot()));
            case "gcs" -> gcs(config);
            default -> throw new IllegalStateException("Unknown clipflow.storage.type " + config.type()
                    + " (expected local or gcs)");
        };
    }

    /** Chunk staging for resumable uploads, on the same store. */
    @Produces
    @ApplicationScoped
    UploadStaging uploadStaging(StorageConfig config) {
        BlobStore store = instance(config);
        if (store instanceof LocalBlobStore local) {
            return new LocalUploadStaging(local, config.localSyncChunks(), config.localDirectIo(),
                    config.localDirectWrites(), config.localFlushBehind());
        }
        if (store instanceof GcsBlobStore gcs) {
            return new GcsUploadStaging(gcs);
        }
        throw new IllegalStateException("No upload staging for " + store.location());
    }

    private static GcsBlobStore gcs(StorageConfig config) {
        String bucket = config.gcsBucket().orElseThrow(() -> new IllegalStateException(
                "clipflow.storage.gcs-bucket is required when clipflow.storage.type=gcs"));
        StorageOptions.Builder options = StorageOptions.newBuilder();
        config.gcsProjectId().ifPresent(options::setProjectId);
        return new GcsBlobStore(options.build().getService(), bucket, config.gcsPrefix().orElse(""));
    }
}
