package dev.clipflow.storage.staging;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.clipflow.storage.gcs.GcsBlobStore;
import dev.clipflow.storage.gcs.RecordingStorage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** GCS staging against the fake, with compose carried out by {@link RecordingStorage}. */
class GcsUploadStagingTest extends UploadStagingContractTest {

    private RecordingStorage recording;

    @Override
    protected void create() {
        recording = RecordingStorage.over(LocalStorageHelper.getOptions().getService());
        GcsBlobStore gcs = new GcsBlobStore(recording.storage(), "bucket", "t-" + UUID.randomUUID());
        store = gcs;
        staging = new GcsUploadStaging(gcs);
    }

    @Test
    void partsAreDeletedAfterComposition() {
        UUID id = UUID.randomUUID();
        staging.writeChunk(id, 0, 0, new ByteArrayInputStream(new byte[4]), 4);
        staging.writeChunk(id, 1, 4, new ByteArrayInputStream(new byte[2]), 2);
        assertThat(store.list("staging/" + id + "/")).hasSize(2);
        staging.assemble(id, 2, 4, 6, "originals/" + id + "/source", "video/mp4");
        assertThat(store.list("staging/" + id + "/")).isEmpty();
        assertThat(recording.composes()).hasSize(1);
    }
}
