package dev.clipflow.storage.local;

import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobNotFoundException;
import dev.clipflow.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
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
 *
 * <p>An object may also be <em>stored as parts</em>: a folder at its key holding the part files and a
 * manifest ({@value #PARTS_MANIFEST}) naming them in order with their sizes. That is how a tus
 * concatenation becomes an object without its bytes being copied ({@link #adoptParts}): every method
 * here reads such an object as the one file it stands for (its size is the parts' sum; {@link #open} and
 * {@link #download} read the parts in order), except {@link #localFile}, which has no single file to
 * answer and is empty (callers then read through {@link #open}).
 */
public class LocalBlobStore implements BlobStore {

    private static final String TMP_SUFFIX = ".partial";

    /** The file naming the parts of an object stored as parts, one {@code <size> <file name>} line each, in order. */
    public static final String PARTS_MANIFEST = ".parts";
    private static final String MANIFEST_HEADER = "clipflow-parts 1";

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
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = dir.getFileName().toString();
                    if (name.endsWith(TMP_SUFFIX) && attributes.lastModifiedTime().toMillis() < before) {
                        deleteTree(dir); // an object stored as parts set aside when it was replaced
                        swept[0]++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
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
            if (attributes.isDirectory()) {
                return partsInfo(key, file);
            }
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
            Path file = file(key);
            if (Files.isDirectory(file)) {
                List<Part> parts = parts(file);
                if (parts == null) {
                    throw new BlobNotFoundException(key);
                }
                return openParts(parts, offset, length);
            }
            SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ);
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
            Path file = file(key);
            List<Part> parts = Files.isDirectory(file) ? parts(file) : null;
            if (parts == null) {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long at = 0;
                for (Part part : parts) {
                    try (FileChannel in = FileChannel.open(part.file(), StandardOpenOption.READ)) {
                        for (long copied = 0; copied < part.size(); ) {
                            out.position(at + copied);
                            copied += in.transferTo(copied, part.size() - copied, out); // in the kernel
                        }
                    }
                    at += part.size();
                }
            }
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            Path file = file(key);
            if (Files.isDirectory(file)) {
                if (parts(file) == null) {
                    return false; // a folder of other objects, not an object
                }
                deleteTree(file);
                return true;
            }
            return Files.deleteIfExists(file);
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
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (dir.getFileName() != null && dir.getFileName().toString().endsWith(TMP_SUFFIX)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!dir.equals(root) && Files.isRegularFile(dir.resolve(PARTS_MANIFEST))) {
                        String key = key(dir);
                        if (key.startsWith(prefix)) {
                            partsInfo(key, dir).ifPresent(found::add);
                        }
                        return FileVisitResult.SKIP_SUBTREE; // one object, not a folder of them
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String key = key(file);
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
    public List<Path> localParts(String key) {
        Path file = file(key);
        try {
            if (Files.isDirectory(file)) {
                List<Part> parts = parts(file);
                return parts == null ? List.of() : parts.stream().map(Part::file).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Files.isRegularFile(file) ? List.of(file) : List.of();
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    private BlobInfo moveIntoPlace(Path tmp, Path target, String key, String contentType) {
        try {
            if (Files.isDirectory(target) && parts(target) != null) { // replacing an object stored as parts
                Path aside = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(aside);
                return info(key, Files.readAttributes(target, BasicFileAttributes.class));
            }
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

    /** One file of an object stored as parts. */
    public record Part(Path file, long size) {
    }

    /**
     * Makes the files {@code parts}, in order, the object {@code key} without copying a byte: they are
     * hard-linked into a folder beside them ({@code building}, which must be on this store's file system and
     * is replaced if it exists), with the manifest, and the folder is renamed to the key (replacing any object
     * there). The files themselves stay where they are; whoever made them deletes them when done.
     */
    public BlobInfo adoptParts(String key, List<Part> parts, Path building) {
        Path target = file(key);
        try {
            deleteTree(building);
            Files.createDirectories(building);
            StringBuilder manifest = new StringBuilder(MANIFEST_HEADER).append('\n');
            for (int i = 0; i < parts.size(); i++) {
                String name = String.format("part-%05d", i);
                Files.createLink(building.resolve(name), parts.get(i).file());
                manifest.append(parts.get(i).size()).append(' ').append(name).append('\n');
            }
            try (FileChannel out = FileChannel.open(building.resolve(PARTS_MANIFEST), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(manifest.toString().getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                delete(key); // a rename cannot replace a file, nor a folder that is not empty, by a folder
            }
            Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stat(key).orElseThrow();
    }

    /** The parts of the object stored as parts in the folder {@code dir}, in order; null when it is not one. */
    private static List<Part> parts(Path dir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(PARTS_MANIFEST), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return null;
        }
        if (lines.isEmpty() || !lines.get(0).equals(MANIFEST_HEADER)) {
            throw new IOException("Unknown parts manifest in " + dir);
        }
        List<Part> parts = new ArrayList<>(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ');
            String name = line.substring(space + 1);
            if (space <= 0 || name.contains("/") || name.startsWith(".")) {
                throw new IOException("Bad line in the parts manifest of " + dir + ": " + line);
            }
            parts.add(new Part(dir.resolve(name), Long.parseLong(line.substring(0, space))));
        }
        return parts;
    }

    /** The info of the object stored as parts at {@code dir}: the parts' total size, the manifest's time. */
    private static Optional<BlobInfo> partsInfo(String key, Path dir) {
        try {
            List<Part> parts = parts(dir);
            if (parts == null) {
                return Optional.empty();
            }
            long size = parts.stream().mapToLong(Part::size).sum();
            BasicFileAttributes manifest = Files.readAttributes(dir.resolve(PARTS_MANIFEST), BasicFileAttributes.class);
            return Optional.of(info(key, size, manifest.lastModifiedTime()));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code length} bytes from {@code offset} of the parts read in order, each part opened when reached. */
    private static InputStream openParts(List<Part> parts, long offset, long length) {
        List<long[]> ranges = new ArrayList<>(); // index of the part, start in it, count
        long partStart = 0;
        long end = offset + length;
        for (int i = 0; i < parts.size() && partStart < end; i++) {
            long size = parts.get(i).size();
            long from = Math.max(offset, partStart);
            long to = Math.min(end, partStart + size);
            if (to > from) {
                ranges.add(new long[] {i, from - partStart, to - from});
            }
            partStart += size;
        }
        Iterator<long[]> next = ranges.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                long[] range = next.next();
                try {
                    FileChannel channel = FileChannel.open(parts.get((int) range[0]).file(), StandardOpenOption.READ);
                    return new BoundedInputStream(Channels.newInputStream(channel.position(range[1])), range[2]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private String key(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** Deletes a folder and everything in it; harmless when it does not exist. */
    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(LocalBlobStore::deleteQuietly);
        } catch (NoSuchFileException e) {
            // nothing to delete
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BlobInfo info(String key, BasicFileAttributes attributes) {
        return info(key, attributes.size(), attributes.lastModifiedTime());
    }

    private static BlobInfo info(String key, long size, FileTime modified) {
        String etag = Long.toHexString(size) + "-" + Long.toHexString(modified.to(java.util.concurrent.TimeUnit.NANOSECONDS));
        return new BlobInfo(key, size, null, java.time.Instant.ofEpochMilli(modified.toMillis()), etag);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
