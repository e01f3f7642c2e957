package dev.clipflow.storage.local;

import dev.clipflow.storage.BlobStore;
import dev.clipflow.storage.BlobStoreContractTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBlobStoreTest extends BlobStoreContractTest {

    @Override
    protected BlobStore newStore() throws Exception {
        return new LocalBlobStore(Files.createTempDirectory("local-store"));
    }

    @Test
    void composeConcatenatesAndLocalFileIsTheObject() throws Exception {
        store.put("c/1", new ByteArrayInputStream("abc".getBytes()), 3, null);
        store.put("c/2", new ByteArrayInputStream("defg".getBytes()), 4, null);
        store.compose("c/all", java.util.List.of("c/1", "c/2"), null);
        assertThat(read(store.open("c/all", 0, 7))).isEqualTo("abcdefg".getBytes());
        assertThat(store.localFile("c/all")).get().satisfies(p -> assertThat(Files.size(p)).isEqualTo(7));
        assertThat(store.signedUrl("c/all", java.time.Duration.ofMinutes(1))).isEmpty();
    }

    /**
     * A kill -9 during a put left its temporary file, invisible to list and delete, for ever. A store that starts
     * removes the ones nobody has written for an hour (a put in flight keeps touching its file), and leaves the
     * upload staging area (resumable uploads, hidden folder) alone.
     */
    @Test
    void partialFilesOfWritesThatDiedAreSweptAtStart() throws Exception {
        java.nio.file.Path root = Files.createTempDirectory("local-store-crash");
        java.nio.file.Path stale = root.resolve("videos/v1/video.mp4." + java.util.UUID.randomUUID() + ".partial");
        java.nio.file.Path fresh = root.resolve("videos/v2/video.mp4." + java.util.UUID.randomUUID() + ".partial");
        java.nio.file.Path staging = root.resolve(".staging/" + java.util.UUID.randomUUID() + ".partial");
        java.nio.file.Path blob = root.resolve("videos/v1/thumbnail.jpg");
        for (java.nio.file.Path file : java.util.List.of(stale, fresh, staging, blob)) {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1, 2, 3});
        }
        java.nio.file.attribute.FileTime twoHoursAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        Files.setLastModifiedTime(stale, twoHoursAgo);
        Files.setLastModifiedTime(staging, twoHoursAgo);
        Files.setLastModifiedTime(blob, twoHoursAgo);

        new LocalBlobStore(root);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(staging).exists();
        assertThat(blob).exists();
    }
}
