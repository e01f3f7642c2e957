package dev.clipflow.storage.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.BlobStoreContractTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared suite against GCS, through Google's in-memory fake (LocalStorageHelper). */
class GcsBlobStoreTest extends BlobStoreContractTest {

    @Override
    protected BlobStore newStore() {
        Storage storage = LocalStorageHelper.getOptions().getService();
        return new GcsBlobStore(storage, "bucket", "test-" + UUID.randomUUID() + "/");
    }

    @Test
    void locationIsTheBucketAndPrefix() {
        assertThat(store.location()).startsWith("gs://bucket/test-");
    }

    @Test
    void composeSendsTreesOfAtMost32SourcesAndDeletesIntermediates() throws Exception {
        RecordingStorage recording = RecordingStorage.over(LocalStorageHelper.getOptions().getService());
        GcsBlobStore gcs = new GcsBlobStore(recording.storage(), "bucket", "pre/");
        List<String> keys = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            String key = "parts/" + i;
            String text = "<" + i + ">";
            gcs.put(key, new ByteArrayInputStream(text.getBytes()), text.length(), null);
            keys.add(key);
            expected.append(text);
        }
        gcs.compose("whole", keys, "video/mp4");

        assertThat(recording.composes()).hasSize(4);
        assertThat(recording.composes()).allSatisfy(r -> assertThat(r.getSourceBlobs()).hasSizeLessThanOrEqualTo(32));
        var last = recording.composes().get(3);
        assertThat(last.getTarget().getName()).isEqualTo("pre/whole");
        assertThat(last.getTarget().getContentType()).isEqualTo("video/mp4");
        assertThat(last.getSourceBlobs().get(0).getName()).startsWith("pre/tmp/compose-");
        assertThat(new String(read(gcs.open("whole", 0, expected.length())))).isEqualTo(expected.toString());
        assertThat(gcs.list("tmp/")).isEmpty();
    }

    @Test
    void signedUrlIsAV4SignedUrl() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var credentials = com.google.auth.oauth2.ServiceAccountCredentials.newBuilder()
                .setClientEmail("clipflow@test-project.iam.gserviceaccount.com")
                .setPrivateKey(generator.generateKeyPair().getPrivate())
                .setProjectId("test-project")
                .build();
        Storage storage = LocalStorageHelper.getOptions().toBuilder().setCredentials(credentials).build().getService();
        GcsBlobStore gcs = new GcsBlobStore(storage, "bucket", "pre/");
        String url = gcs.signedUrl("videos/x/video.mp4", java.time.Duration.ofMinutes(5)).orElseThrow().toString();
        assertThat(url).contains("/bucket/pre/videos/x/video.mp4")
                .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256")
                .contains("X-Goog-Expires=300")
                .contains("X-Goog-Signature=");
    }
}
