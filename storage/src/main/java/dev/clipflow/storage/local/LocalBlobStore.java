package dev.clipflow.storage.local;

import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The embedded default store: one file per key under a root folder. Writes go to a temporary file
 * in the same folder and are renamed into place, so readers never see half an object. A process
 * killed during a write leaves its temporary file behind (invisible to list and delete): a store
 * that starts deletes the ones untouched for {@link #STALE_PARTIAL} (a write in flight keeps
 * touching its file; other replicas may be writing into the same root). Hidden folders such as the
 * upload staging area ({@code .staging}) are not this store's temporary files and are left alone.
 */
public class LocalBlobStore implements BlobStore {

    private static final String TMP_SUFFIX = ".partial";

    /** A temporary file nobody wrote to for this long belongs to a write that died. */
    public static final Duration STALE_PARTIAL = Duration.ofHours(1);

    private final Path root;

    public LocalBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create blob store root " + this.root, e);
        }
        sweepStalePartials();
    }

    /** Deletes the temporary files of writes that died (untouched for {@link #STALE_PARTIAL}); returns how many. */
    public int sweepStalePartials() {
        long before = System.currentTimeMillis() - STALE_PARTIAL.toMillis();
        int[] swept = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.getFileName().toString().endsWith(TMP_SUFFIX) && attributes.isRegularFile()
                            && attributes.lastModifiedTime().toMillis() < before) {
                        deleteQuietly(file);
                        swept[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile by a concurrent writer
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot sweep blob store root " + root, e);
        }
        return swept[0];
    }

    /** The root folder must exist and be writable (a missing or read-only volume is not ready). */
    @Override
    public void checkReachable() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new IllegalStateException(root + " is not a writable folder");
        }
    }

    public Path root() {
        return root;
    }

    /** The file behind a key (inside the root, whatever the key says). */
    public Path file(String key) {
        Path file = root.resolve(BlobKeys.validate(key)).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("Invalid blob key: " + key);
        }
        return file;
    }

    @Override
    public BlobInfo put(String key, InputStream data, long length, String contentType) {
        Path target = file(key);
        Path tmp = tempBeside(target);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            long copied = data.transferTo(out);
            if (length >= 0 && copied != length) {
                throw new IllegalArgumentException("Expected " + length + " bytes for " + key + " but got " + copied);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        return moveIntoPlace(tmp, target, key, contentType);
    }

    @Override
    public BlobInfo putFile(String key, Path file, String contentType) {
        Path target = file(key);
        Path tmp = tempBeside(target);
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        }
        return moveIntoPlace(tmp, target, key, contentType);
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Path file = file(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(info(key, attributes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Negative range");
        }
        try {
            SeekableByteChannel channel = Files.newByteChannel(file(key), StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void download(String key, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(file(key), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            return Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int deletePrefix(String prefix) {
        List<BlobInfo> all = list(prefix);
        int deleted = 0;
        for (BlobInfo blob : all) {
            if (delete(blob.key())) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        if (!prefix.isEmpty()) {
            BlobKeys.validate(prefix.endsWith("/") ? prefix + "x" : prefix);
        }
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : file(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<BlobInfo> found = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    if (key.startsWith(prefix) && !key.endsWith(TMP_SUFFIX) && attributes.isRegularFile()) {
                        found.add(info(key, attributes));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(BlobInfo::key));
        return found;
    }

    @Override
    public Optional<URI> signedUrl(String key, Duration ttl) {
        return Optional.empty();
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = file(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    private BlobInfo moveIntoPlace(Path tmp, Path target, String key, String contentType) {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return info(key, Files.readAttributes(target, BasicFileAttributes.class));
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        }
    }

    private Path tempBeside(Path target) {
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
    }

    private static BlobInfo info(String key, BasicFileAttributes attributes) {
        long modified = attributes.lastModifiedTime().toMillis();
        String etag = Long.toHexString(attributes.size()) + "-" + Long.toHexString(
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        return new BlobInfo(key, attributes.size(), null, java.time.Instant.ofEpochMilli(modified), etag);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
