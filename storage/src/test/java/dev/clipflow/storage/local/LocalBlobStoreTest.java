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

    /**
     * An object stored as parts (a tus concatenation, no byte copied) reads as the one file it stands for through
     * every method: its size, any range (across the parts' edges too), a download, the listing, the delete, and a
     * put that replaces it; it has no single local file.
     */
    @Test
    void anObjectStoredAsPartsReadsAsOneFile() throws Exception {
        LocalBlobStore local = (LocalBlobStore) store;
        byte[] data = new byte[30_000];
        new java.util.Random(7).nextBytes(data);
        java.nio.file.Path staged = Files.createDirectories(local.root().resolve(".staging"));
        int[] cuts = {0, 10_000, 10_000, 25_000, data.length}; // an empty part too
        java.util.List<LocalBlobStore.Part> parts = new java.util.ArrayList<>();
        for (int p = 0; p + 1 < cuts.length; p++) {
            java.nio.file.Path file = staged.resolve("part" + p);
            Files.write(file, java.util.Arrays.copyOfRange(data, cuts[p], cuts[p + 1]));
            parts.add(new LocalBlobStore.Part(file, cuts[p + 1] - cuts[p]));
        }
        store.put("v/1/original", new ByteArrayInputStream("old".getBytes()), 3, null); // replaced
        var info = local.adoptParts("v/1/original", parts, staged.resolve("building.partial"));
        parts.forEach(part -> part.file().toFile().delete()); // the staging drops its names; the object keeps its own

        assertThat(info.size()).isEqualTo(data.length);
        assertThat(store.stat("v/1/original")).get().satisfies(b -> {
            assertThat(b.size()).isEqualTo(data.length);
            assertThat(b.etag()).isEqualTo(info.etag());
        });
        assertThat(read(store.open("v/1/original", 0, data.length))).isEqualTo(data);
        assertThat(read(store.open("v/1/original", 9_990, 15_020))).isEqualTo(
                java.util.Arrays.copyOfRange(data, 9_990, 25_010));
        assertThat(read(store.open("v/1/original", 29_000, 5_000))).isEqualTo(
                java.util.Arrays.copyOfRange(data, 29_000, data.length));
        java.nio.file.Path copy = Files.createTempDirectory("download").resolve("original");
        Files.write(copy, new byte[100_000]); // longer than the object: replaced, not overwritten in place
        store.download("v/1/original", copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(data);
        store.put("v/1/thumbnail.jpg", new ByteArrayInputStream("jpg".getBytes()), 3, null);
        assertThat(store.list("v/1/")).extracting(b -> b.key() + "=" + b.size())
                .containsExactly("v/1/original=" + data.length, "v/1/thumbnail.jpg=3");
        assertThat(store.list("")).extracting(b -> b.key()).containsExactly("v/1/original", "v/1/thumbnail.jpg");
        assertThat(store.localFile("v/1/original")).isEmpty();

        store.put("v/1/original", new ByteArrayInputStream("new".getBytes()), 3, null);
        assertThat(read(store.open("v/1/original", 0, 3))).isEqualTo("new".getBytes());
        assertThat(store.localFile("v/1/original")).isPresent();
        try (var left = Files.list(local.root().resolve("v/1"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("original", "thumbnail.jpg");
        }

        Files.write(staged.resolve("again"), "xyz".getBytes());
        local.adoptParts("v/2/original", java.util.List.of(new LocalBlobStore.Part(staged.resolve("again"), 3)),
                staged.resolve("b2.partial"));
        Files.delete(staged.resolve("again"));
        assertThat(store.delete("v/2/original")).isTrue();
        assertThat(store.stat("v/2/original")).isEmpty();
        assertThat(store.delete("v/2/original")).isFalse();
        assertThat(store.deletePrefix("v/")).isEqualTo(2);
        assertThat(store.list("")).isEmpty();
    }
}
