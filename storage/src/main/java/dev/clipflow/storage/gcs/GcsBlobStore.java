package dev.clipflow.storage.gcs;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Google Cloud Storage behind {@link BlobStore}: keys live under {@code prefix} in one bucket.
 * Credentials come from the environment (Application Default Credentials / Workload Identity);
 * signed URLs are V4.
 */
public class GcsBlobStore implements BlobStore {

    private static final int WRITE_CHUNK = 8 * 1024 * 1024;

    private final Storage storage;
    private final String bucket;
    private final String prefix;

    public GcsBlobStore(Storage storage, String bucket, String prefix) {
        this.storage = storage;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? nullToEmpty(prefix) : prefix + "/";
    }

    public Storage storage() {
        return storage;
    }

    public String bucket() {
        return bucket;
    }

    /** The object id behind a key. */
    public BlobId id(String key) {
        return BlobId.of(bucket, prefix + BlobKeys.validate(key));
    }

    @Override
    public BlobInfo put(String key, InputStream data, long length, String contentType) {
        BlobId id = id(key);
        com.google.cloud.storage.BlobInfo.Builder info = com.google.cloud.storage.BlobInfo.newBuilder(id);
        if (contentType != null) {
            info.setContentType(contentType);
        }
        long copied = 0;
        try (WriteChannel writer = storage.writer(info.build())) {
            writer.setChunkSize(WRITE_CHUNK);
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = data.read(buffer)) > 0) {
                ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
                while (slice.hasRemaining()) {
                    writer.write(slice);
                }
                copied += n;
                if (length >= 0 && copied > length) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (length >= 0 && copied != length) {
            storage.delete(id);
            throw new IllegalArgumentException("Expected " + length + " bytes for " + key + " but got " + copied);
        }
        return stat(key).orElseThrow(() -> new BlobNotFoundException(key));
    }

    @Override
    public BlobInfo putFile(String key, Path file, String contentType) {
        com.google.cloud.storage.BlobInfo.Builder info = com.google.cloud.storage.BlobInfo.newBuilder(id(key));
        if (contentType != null) {
            info.setContentType(contentType);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return put(key, in, Files.size(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Blob blob = storage.get(id(key));
        return blob == null ? Optional.empty() : Optional.of(info(key, blob));
    }

    /** The store's own record of an object (CRC32C, generation), if it exists. */
    public Optional<Blob> blob(String key) {
        return Optional.ofNullable(storage.get(id(key)));
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Negative range");
        }
        BlobId id = id(key);
        if (storage.get(id) == null) {
            throw new BlobNotFoundException(key);
        }
        try {
            ReadChannel reader = storage.reader(id);
            reader.seek(offset);
            reader.limit(offset + length);
            return Channels.newInputStream(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void download(String key, Path target) {
        BlobId id = id(key);
        if (storage.get(id) == null) {
            throw new BlobNotFoundException(key);
        }
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "download-", ".partial");
            try (ReadChannel reader = storage.reader(id); InputStream in = Channels.newInputStream(reader)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                throw new BlobNotFoundException(key);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String key) {
        return storage.delete(id(key));
    }

    @Override
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (BlobInfo blob : list(prefix)) {
            if (delete(blob.key())) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public List<BlobInfo> list(String keyPrefix) {
        List<BlobInfo> found = new ArrayList<>();
        for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix + keyPrefix)).iterateAll()) {
            String key = blob.getName().substring(prefix.length());
            if (!key.isEmpty() && !key.endsWith("/")) {
                found.add(info(key, blob));
            }
        }
        found.sort(Comparator.comparing(BlobInfo::key));
        return found;
    }

    @Override
    public Optional<URI> signedUrl(String key, Duration ttl) {
        try {
            return Optional.of(storage.signUrl(com.google.cloud.storage.BlobInfo.newBuilder(id(key)).build(),
                    ttl.toSeconds(), TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature()).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String location() {
        return "gs://" + bucket + "/" + prefix;
    }

    /**
     * Composes {@code sources} (keys, in order) into {@code target} server-side, through
     * intermediate objects when there are more than 32, which are deleted afterwards.
     */
    @Override
    public BlobInfo compose(String target, List<String> sources, String contentType) {
        String tempBase = "tmp/compose-" + UUID.randomUUID() + "/";
        List<ComposePlan.Step> steps = ComposePlan.plan(sources, target, n -> tempBase + n);
        List<String> temps = new ArrayList<>();
        try {
            for (ComposePlan.Step step : steps) {
                com.google.cloud.storage.BlobInfo.Builder info = com.google.cloud.storage.BlobInfo
                        .newBuilder(id(step.target()));
                if (!step.intermediate() && contentType != null) {
                    info.setContentType(contentType);
                }
                Storage.ComposeRequest.Builder request = Storage.ComposeRequest.newBuilder().setTarget(info.build());
                for (String source : step.sources()) {
                    request.addSource(prefix + source);
                }
                if (step.intermediate()) {
                    temps.add(step.target());
                }
                storage.compose(request.build());
            }
        } finally {
            temps.forEach(this::delete);
        }
        return stat(target).orElseThrow(() -> new BlobNotFoundException(target));
    }

    private static BlobInfo info(String key, Blob blob) {
        Instant updated = blob.getUpdateTimeOffsetDateTime() == null ? null
                : blob.getUpdateTimeOffsetDateTime().toInstant();
        String etag = blob.getGeneration() == null ? blob.getEtag() : String.valueOf(blob.getGeneration());
        long size = blob.getSize() == null ? 0 : blob.getSize();
        return new BlobInfo(key, size, blob.getContentType(), updated, etag);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
