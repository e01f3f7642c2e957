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
}
