package dev.clipflow.storage.staging;

import dev.clipflow.storage.BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What chunk staging must do, for each store. */
public abstract class UploadStagingContractTest {

    protected BlobStore store;
    protected UploadStaging staging;

    protected abstract void create() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        create();
    }

    private static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private void write(UUID id, byte[] data, int chunk, int index) {
        int from = index * chunk;
        int to = Math.min(data.length, from + chunk);
        staging.writeChunk(id, index, from, new ByteArrayInputStream(Arrays.copyOfRange(data, from, to)), to - from);
    }

    @Test
    void chunksInAnyOrderAndInParallelAssembleIntoTheFile() throws Exception {
        UUID id = UUID.randomUUID();
        int chunk = 1000;
        byte[] data = data(40 * chunk + 123);
        int count = 41;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = count - 1; i >= 0; i--) {
                int index = i;
                writes.add(pool.submit(() -> write(id, data, chunk, index)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        String key = "originals/" + id + "/source";
        var info = staging.assemble(id, count, chunk, data.length, key, "video/mp4");
        assertThat(info.size()).isEqualTo(data.length);
        try (var in = store.open(key, 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    /** Finished uploads holding {@code data} cut at {@code cuts}, their chunks written last first or in order. */
    private List<UploadStaging.Part> stagedParts(byte[] data, int[] cuts, int chunk, boolean lastFirst) throws Exception {
        List<UploadStaging.Part> parts = new ArrayList<>();
        for (int p = 0; p + 1 < cuts.length; p++) {
            UUID id = UUID.randomUUID();
            byte[] part = Arrays.copyOfRange(data, cuts[p], cuts[p + 1]);
            int count = (part.length + chunk - 1) / chunk;
            for (int n = 0; n < count; n++) {
                write(id, part, chunk, lastFirst ? count - 1 - n : n);
            }
            parts.add(new UploadStaging.Part(id, count, part.length));
        }
        return parts;
    }

    /**
     * What runs before the parts are dropped (the whole-file SHA-256 reading them) can still read every part; when
     * it fails the parts stay, and the concatenation succeeds when called again.
     */
    @Test
    void thePartsStayReadableUntilTheHookReturnsAndStayWhenItFails() throws Exception {
        byte[] data = data(9_001);
        int[] cuts = {0, 3000, 6500, data.length};
        int chunk = 1024;
        List<UploadStaging.Part> parts = stagedParts(data, cuts, chunk, false);
        String key = "originals/" + UUID.randomUUID() + "/source";
        assertThatThrownBy(() -> staging.concatenate(parts, data.length, key, "video/mp4", () -> {
            throw new IllegalStateException("the digest failed");
        })).hasMessage("the digest failed");
        List<byte[]> seen = new ArrayList<>();
        staging.concatenate(parts, data.length, key, "video/mp4", () -> {
            for (int p = 0; p < parts.size(); p++) {
                try (var in = staging.openChunk(parts.get(p).uploadId(), 0, 0, 100)) {
                    seen.add(in.readAllBytes());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        for (int p = 0; p < parts.size(); p++) {
            assertThat(seen.get(p)).isEqualTo(Arrays.copyOfRange(data, cuts[p], cuts[p] + 100));
        }
        try (var in = store.open(key, 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void finishedUploadsConcatenateInOrderOnceAndTheirStagingGoes() throws Exception {
        byte[] data = data(10_007);
        int[] cuts = {0, 4000, 7000, data.length};
        int chunk = 1500;
        List<UploadStaging.Part> parts = stagedParts(data, cuts, chunk, true);
        String key = "originals/" + UUID.randomUUID() + "/source";
        assertThat(staging.concatenate(parts, data.length, key, "video/mp4").size()).isEqualTo(data.length);
        assertThat(staging.concatenate(parts, data.length, key, "video/mp4").size()).isEqualTo(data.length); // again
        try (var in = store.open(key, 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        for (UploadStaging.Part part : parts) {
            assertThatThrownBy(() -> {
                try (var in = staging.openChunk(part.uploadId(), 0, 0, 1)) {
                    in.read();
                }
            }).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void wrongLengthIsRejectedAndDoesNotTouchNeighbours() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] data = data(30);
        write(id, data, 10, 1);
        assertThatThrownBy(() -> staging.writeChunk(id, 0, 0, new ByteArrayInputStream(new byte[15]), 10))
                .isInstanceOf(UploadStaging.ChunkLengthException.class);
        assertThatThrownBy(() -> staging.writeChunk(id, 2, 20, new ByteArrayInputStream(new byte[5]), 10))
                .isInstanceOf(UploadStaging.ChunkLengthException.class);
        write(id, data, 10, 0);
        write(id, data, 10, 2);
        String key = "originals/" + id + "/source";
        staging.assemble(id, 3, 10, 30, key, null);
        try (var in = store.open(key, 0, 30)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    /** A chunk's bytes in buffers of {@code piece} bytes, as a request body hands them over. */
    private static ChunkBuffers buffers(byte[] bytes, int piece) {
        int[] at = {0};
        return () -> {
            if (at[0] == bytes.length) {
                return null;
            }
            int n = Math.min(piece, bytes.length - at[0]);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes, at[0], n);
            at[0] += n;
            return buffer;
        };
    }

    @Test
    void chunksGivenAsBuffersAreWrittenAtTheirOffsetsAndWrongLengthsTouchNothingElse() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] data = data(2500);
        staging.writeChunk(id, 1, 1000, buffers(Arrays.copyOfRange(data, 1000, 2000), 300), 1000);
        assertThatThrownBy(() -> staging.writeChunk(id, 2, 2000, buffers(new byte[700], 300), 500))
                .isInstanceOf(UploadStaging.ChunkLengthException.class);
        assertThatThrownBy(() -> staging.writeChunk(id, 0, 0, buffers(new byte[999], 300), 1000))
                .isInstanceOf(UploadStaging.ChunkLengthException.class)
                .satisfies(e -> assertThat(((UploadStaging.ChunkLengthException) e).actual()).isEqualTo(999));
        staging.writeChunk(id, 0, 0, buffers(Arrays.copyOfRange(data, 0, 1000), 256), 1000);
        staging.writeChunk(id, 2, 2000, buffers(Arrays.copyOfRange(data, 2000, 2500), 500), 500);
        String key = "originals/" + id + "/source";
        staging.assemble(id, 3, 1000, 2500, key, null);
        try (var in = store.open(key, 0, 2500)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void assemblingIncompleteDataFailsAndDiscardRemovesEverything() {
        UUID id = UUID.randomUUID();
        byte[] data = data(25);
        write(id, data, 10, 0);
        assertThatThrownBy(() -> staging.assemble(id, 3, 10, 25, "originals/" + id + "/source", null))
                .isInstanceOf(RuntimeException.class);
        staging.discard(id);
        staging.discard(id);
        assertThat(store.list("originals/" + id + "/")).isEmpty();
        assertThat(store.list("staging/" + id + "/")).isEmpty();
    }

    @Test
    void writtenChunksReadBackAndAssemblingAgainAnswersTheAssembledObject() throws Exception {
        UUID id = UUID.randomUUID();
        byte[] data = data(25);
        for (int i = 2; i >= 0; i--) {
            write(id, data, 10, i);
        }
        try (var in = staging.openChunk(id, 1, 10, 10)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 10, 20));
        }
        try (var in = staging.openChunk(id, 2, 20, 5)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 20, 25));
        }
        String key = "originals/" + id + "/source";
        staging.assemble(id, 3, 10, 25, key, null);
        // a completion that died after assembling is taken over: assembling again is harmless
        assertThat(staging.assemble(id, 3, 10, 25, key, null).size()).isEqualTo(25);
        try (var in = store.open(key, 0, 25)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }
}
