package dev.clipflow.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} must do, run against each implementation (this class ships in
 * storage's test-jar so services can run it against their own configuration too).
 */
public abstract class BlobStoreContractTest {

    protected BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = newStore();
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    protected static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void putThenStatOpenAndRangedOpen() throws Exception {
        byte[] data = bytes(300_000, 1);
        BlobInfo info = store.put("a/b/c.bin", new ByteArrayInputStream(data), data.length, "application/octet-stream");
        assertThat(info.key()).isEqualTo("a/b/c.bin");
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(store.stat("a/b/c.bin")).get().extracting(BlobInfo::size).isEqualTo((long) data.length);
        assertThat(read(store.open("a/b/c.bin", 0, data.length))).isEqualTo(data);
        byte[] middle = read(store.open("a/b/c.bin", 1000, 5000));
        assertThat(middle).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 6000));
    }

    @Test
    void putReplacesAndChangesEtag() {
        store.put("x/one", new ByteArrayInputStream("first".getBytes(StandardCharsets.UTF_8)), 5, "text/plain");
        String etag = store.stat("x/one").orElseThrow().etag();
        store.put("x/one", new ByteArrayInputStream("second!".getBytes(StandardCharsets.UTF_8)), 7, "text/plain");
        BlobInfo after = store.stat("x/one").orElseThrow();
        assertThat(after.size()).isEqualTo(7);
        assertThat(after.etag()).isNotEqualTo(etag);
    }

    @Test
    void putWithWrongLengthStoresNothing() {
        assertThatThrownBy(() -> store.put("bad/len", new ByteArrayInputStream(new byte[10]), 20, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.stat("bad/len")).isEmpty();
    }

    @Test
    void putFileAndDownload() throws Exception {
        Path dir = Files.createTempDirectory("blob-test");
        Path source = dir.resolve("in.bin");
        byte[] data = bytes(70_000, 2);
        Files.write(source, data);
        store.putFile("f/in.bin", source, "video/mp4");
        Path target = dir.resolve("sub/out.bin");
        store.download("f/in.bin", target);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }

    @Test
    void missingObjects() {
        assertThat(store.stat("no/such")).isEmpty();
        assertThat(store.delete("no/such")).isFalse();
        assertThatThrownBy(() -> store.open("no/such", 0, 1)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.download("no/such", Path.of("/tmp/never-" + UUID.randomUUID())))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void listAndDeletePrefix() {
        for (String key : List.of("p/1/a", "p/1/b", "p/2/a", "q/1")) {
            store.put(key, new ByteArrayInputStream(new byte[3]), 3, null);
        }
        assertThat(store.list("p/1/")).extracting(BlobInfo::key).containsExactly("p/1/a", "p/1/b");
        assertThat(store.list("p/")).extracting(BlobInfo::key).containsExactly("p/1/a", "p/1/b", "p/2/a");
        assertThat(store.deletePrefix("p/1/")).isEqualTo(2);
        assertThat(store.list("p/")).extracting(BlobInfo::key).containsExactly("p/2/a");
        assertThat(store.delete("q/1")).isTrue();
        assertThat(store.stat("q/1")).isEmpty();
    }

    @Test
    void rejectsKeysThatEscape() {
        assertThatThrownBy(() -> store.put("../evil", new ByteArrayInputStream(new byte[1]), 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stat("/abs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locationNamesTheStore() {
        assertThat(store.location()).isNotBlank();
    }
}
