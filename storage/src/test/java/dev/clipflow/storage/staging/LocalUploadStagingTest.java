package dev.clipflow.storage.staging;

import dev.clipflow.storage.local.LocalBlobStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract with direct I/O (the default; {@link BufferedLocalUploadStagingTest}: without), and direct I/O's edges. */
class LocalUploadStagingTest extends UploadStagingContractTest {

    private LocalBlobStore local;

    @Override
    protected void create() throws Exception {
        local = new LocalBlobStore(Files.createTempDirectory("staging"));
        store = local;
        staging = new LocalUploadStaging(local);
    }

    @Test
    void directIoIsUsedWhereTheFileSystemTakesIt() {
        // the build machines' temporary folders are ext4, which takes O_DIRECT; a file system that
        // refuses it is detected at start and written through the page cache (BufferedLocalUploadStagingTest)
        assertThat(((LocalUploadStaging) staging).directIo()).isTrue();
        assertThat(local.root().resolve(".staging")).isEmptyDirectory(); // the probe file is gone
    }

    /** Buffers of the given sizes over {@code data}, as a request body hands them over. */
    private static ChunkBuffers pieces(byte[] data, int... sizes) {
        Deque<ByteBuffer> queue = new ArrayDeque<>();
        int at = 0;
        for (int size : sizes) {
            queue.add(ByteBuffer.wrap(data, at, size));
            at += size;
        }
        assertThat(at).isEqualTo(data.length);
        return queue::poll;
    }

    /** A body whose client hangs up after its first {@code sent} bytes of {@code data} (in 256 KiB pieces). */
    private static ChunkBuffers hangsUpAfter(byte[] data, int sent) {
        Deque<ByteBuffer> pieces = new ArrayDeque<>();
        for (int at = 0; at < sent; at += 262_144) {
            pieces.add(ByteBuffer.wrap(data, at, 262_144));
        }
        return () -> {
            ByteBuffer next = pieces.poll();
            if (next == null) {
                throw new IOException("client hung up");
            }
            return next;
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void chunksStartingAndEndingOffBlockBoundariesKeepEveryByteInPlace() throws IOException {
        UUID id = UUID.randomUUID();
        // a file of three chunks whose offsets and lengths fall inside blocks, written out of order,
        // in pieces that are aligned, unaligned, smaller than a block and larger than several
        int[] lengths = {300_001, 1_048_576 + 4_095, 777};
        byte[] file = random(Arrays.stream(lengths).sum(), 7);
        int[][] pieceSizes = {
                {4_096, 1, 262_144 - 1, 33_761},
                {262_144, 262_144, 1_000, 527_383},
                {777}};
        int[] order = {2, 0, 1};
        for (int index : order) {
            int offset = Arrays.stream(lengths).limit(index).sum();
            byte[] chunk = Arrays.copyOfRange(file, offset, offset + lengths[index]);
            // chunks after a gap are "read back soon" (page cache only), the others go direct
            staging.writeChunk(id, index, offset, pieces(chunk, pieceSizes[index]), chunk.length, index == 2);
        }
        byte[] written = Files.readAllBytes(((LocalUploadStaging) staging).file(id));
        assertThat(written).hasSize(file.length);
        assertThat(Arrays.mismatch(written, file)).isEqualTo(-1);
    }

    @Test
    void aChunkWrittenAgainInOtherPiecesOrAsAStreamReplacesWhatWasThere() throws IOException {
        UUID id = UUID.randomUUID();
        int length = 3 * 262_144 + 10;
        byte[] first = random(length, 1);
        byte[] second = random(length, 2);
        byte[] third = random(length, 3);
        staging.writeChunk(id, 0, 4_000, pieces(first, 262_144, 262_144, 262_144, 10), length);
        // the same range again: pieces that put the block boundaries elsewhere (pages written directly
        // before now partly through the page cache, and the other way round)
        staging.writeChunk(id, 0, 4_000, pieces(second, 96, 262_144 * 2, 262_144 - 86), length);
        Path staged = ((LocalUploadStaging) staging).file(id);
        assertThat(Arrays.copyOfRange(Files.readAllBytes(staged), 4_000, 4_000 + length)).isEqualTo(second);
        staging.writeChunk(id, 0, 4_000, new ByteArrayInputStream(third), length);
        byte[] written = Files.readAllBytes(staged);
        assertThat(Arrays.copyOfRange(written, 4_000, 4_000 + length)).isEqualTo(third);
        assertThat(Arrays.copyOfRange(written, 0, 4_000)).containsOnly(0); // before the chunk: a hole
    }

    @Test
    void largeChunksWrittenAtOnceInBodySizedPiecesAssembleIntoTheFile() throws Exception {
        UUID id = UUID.randomUUID();
        int chunk = 3 * 1024 * 1024 + 4_096;
        byte[] file = random(4 * chunk + 777, 11);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int index = 4; index >= 0; index--) {
                int offset = index * chunk;
                byte[] data = Arrays.copyOfRange(file, offset, Math.min(file.length, offset + chunk));
                int piece = 262_144;
                int[] sizes = new int[(data.length + piece - 1) / piece];
                Arrays.fill(sizes, piece);
                sizes[sizes.length - 1] = data.length - piece * (sizes.length - 1);
                int chunkIndex = index;
                writes.add(pool.submit(() -> staging.writeChunk(id, chunkIndex, offset, pieces(data, sizes), data.length)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Arrays.mismatch(Files.readAllBytes(((LocalUploadStaging) staging).file(id)), file)).isEqualTo(-1);
    }

    @Test
    void aBodyCutOffMidwayWritesNothingMoreOnceItsCallHasFailed() throws IOException {
        UUID id = UUID.randomUUID();
        int length = 4 * 1024 * 1024;
        byte[] first = random(length, 21);
        byte[] second = random(length, 22);
        assertThatThrownBy(() -> staging.writeChunk(id, 0, 0, hangsUpAfter(first, 3 * 524_288), length))
                .hasRootCauseInstanceOf(IOException.class);
        // sent again at once (e.g. by the client resuming): what the failed call had gathered or had in
        // flight must not land on top of it afterwards
        staging.writeChunk(id, 0, 0, pieces(second, 1_048_576, 1_048_576, 1_048_576, 1_048_576), length);
        assertThat(Files.readAllBytes(((LocalUploadStaging) staging).file(id))).isEqualTo(second);
    }

    /**
     * However many direct writes a chunk keeps in flight, and whether flushes run behind them or not, every byte lands
     * in place and a chunk cut off midway writes nothing afterwards: buffers go back to the pool only once their write
     * has ended (a buffer reused while the disk still reads it would put the next bytes there), and a flush running
     * behind the writes ends before the chunk's file is closed.
     */
    @Test
    void anyNumberOfDirectWritesInFlightKeepsEveryByteInPlace() throws IOException {
        for (long flushBehind : new long[] {0, LocalUploadStaging.DEFAULT_FLUSH_BEHIND, 1_048_577}) {
            for (int inFlight : new int[] {1, 2, 16}) {
                writesEveryByteInPlace(new LocalUploadStaging(local, true, true, inFlight, flushBehind),
                        inFlight + " writes in flight, flush behind " + flushBehind, inFlight);
            }
        }
        assertThatThrownBy(() -> new LocalUploadStaging(local, true, true, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalUploadStaging(local, true, true, 17, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalUploadStaging(local, true, true, 4, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private void writesEveryByteInPlace(LocalUploadStaging writer, String what, int inFlight) throws IOException {
        UUID id = UUID.randomUUID();
        int length = 9 * 1024 * 1024 + 3_333;
        byte[] data = random(length, inFlight);
        int piece = 262_144 + 17;
        int[] sizes = new int[(length + piece - 1) / piece];
        Arrays.fill(sizes, piece);
        sizes[sizes.length - 1] = length - piece * (sizes.length - 1);
        writer.writeChunk(id, 0, 1_000, pieces(data, sizes), length);
        byte[] written = Files.readAllBytes(writer.file(id));
        assertThat(Arrays.mismatch(Arrays.copyOfRange(written, 1_000, 1_000 + length), data))
                .as(what).isEqualTo(-1);

        UUID other = UUID.randomUUID();
        assertThatThrownBy(() -> writer.writeChunk(other, 0, 0, hangsUpAfter(data, 6 * 524_288), length))
                .hasRootCauseInstanceOf(IOException.class);
        byte[] again = random(4 * 1024 * 1024, 100 + inFlight);
        writer.writeChunk(other, 0, 0, pieces(again, 1_048_576, 1_048_576, 1_048_576, 1_048_576), again.length);
        assertThat(Arrays.copyOf(Files.readAllBytes(writer.file(other)), again.length))
                .as("%s, after a cut-off body", what).isEqualTo(again);
    }

    /**
     * Finishing a tus concatenation on the local store copies nothing: the object is made of the parts' own
     * files (their inodes), not of a copy of the later parts appended to the first (which wrote 3/4 of the file
     * again for parallelUploads: 4). A concatenation that died before its rename is done again, and a discarded
     * upload leaves nothing in staging.
     */
    @Test
    void aConcatenationIsMadeOfThePartsOwnFilesAndSurvivesADeathBeforeItsRename() throws Exception {
        byte[] data = random(3 * 8192 + 17, 31);
        int[] cuts = {0, 8192, 16384, data.length};
        List<UploadStaging.Part> parts = new ArrayList<>();
        List<Object> inodes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            UUID id = UUID.randomUUID();
            byte[] part = Arrays.copyOfRange(data, cuts[p], cuts[p + 1]);
            staging.writeChunk(id, 0, 0, new ByteArrayInputStream(part), part.length);
            parts.add(new UploadStaging.Part(id, 1, part.length));
            inodes.add(Files.getAttribute(((LocalUploadStaging) staging).file(id), "unix:ino"));
        }
        // an earlier attempt died halfway through putting the object together
        Path leftover = local.root().resolve(".staging/" + parts.get(0).uploadId() + ".object.partial");
        Files.createDirectories(leftover);
        Files.write(leftover.resolve("part-00000"), new byte[] {1, 2, 3});

        String key = "originals/" + UUID.randomUUID() + "/source";
        assertThat(staging.concatenate(parts, data.length, key, "video/mp4").size()).isEqualTo(data.length);

        Path object = local.file(key);
        List<Object> objectInodes = new ArrayList<>();
        try (var files = Files.list(object)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                objectInodes.add(Files.getAttribute(file, "unix:ino"));
            }
        }
        assertThat(objectInodes).isEqualTo(inodes);
        try (var in = store.open(key, 0, data.length)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(local.root().resolve(".staging")).isEmptyDirectory();

        UUID discarded = UUID.randomUUID();
        Files.createDirectories(local.root().resolve(".staging/" + discarded + ".object.partial"));
        staging.discard(discarded);
        assertThat(local.root().resolve(".staging")).isEmptyDirectory();
    }
}
