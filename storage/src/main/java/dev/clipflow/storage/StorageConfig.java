package dev.clipflow.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Which blob store a service uses ({@code clipflow.storage.*}). */
@ConfigMapping(prefix = "clipflow.storage")
public interface StorageConfig {

    /** {@code local} (a folder, the embedded default) or {@code gcs}. */
    @WithDefault("local")
    String type();

    /** Root folder of the local store. */
    @WithDefault(".clipflow/blobs")
    String localRoot();

    /** GCS bucket (type gcs). Credentials come from the environment / Workload Identity. */
    Optional<String> gcsBucket();

    /**
     * Key prefix inside the bucket, e.g. {@code prod/}; none by default. (Optional: SmallRye Config
     * treats an empty default as missing, which made every service fail at start.)
     */
    Optional<String> gcsPrefix();

    /** Google Cloud project of the bucket; by default the environment's (ADC / Workload Identity). */
    Optional<String> gcsProjectId();

    /**
     * Whether the local store flushes each upload chunk to disk (fdatasync) before acknowledging it,
     * so an acknowledged chunk survives a crash. Off trades that for throughput on slow disks.
     */
    @WithDefault("true")
    boolean localSyncChunks();

    /**
     * Whether the local store writes the block-aligned part of upload chunks with direct I/O
     * ({@code O_DIRECT}), bypassing the page cache, so acknowledging a chunk does not wait for its
     * writeback. Used only where the file system takes it (checked at start); off writes every byte
     * through the page cache, as before.
     */
    @WithDefault("true")
    boolean localDirectIo();

    /**
     * How many direct writes of 512 KiB one chunk keeps in flight (1-16). A virtual disk takes more per
     * second with several writes queued than with one at a time (on the development VM 8 MiB went in
     * 13-15 ms one at a time, 10-12 ms four at a time).
     */
    @WithDefault("4")
    int localDirectWrites();

    /**
     * Bytes of a chunk written directly after which an fdatasync of them starts while the rest still arrives, one
     * at a time per chunk (0: one flush after the chunk's last byte). A virtual disk's flush costs in proportion to
     * what it makes durable, so the flush that acknowledges the chunk then covers only its last writes. The default,
     * one direct write's 512 KiB, starts a flush whenever a write completed since the last one.
     */
    @WithDefault("524288")
    long localFlushBehind();
}
