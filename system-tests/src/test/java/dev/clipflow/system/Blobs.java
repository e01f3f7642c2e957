package dev.clipflow.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The stack's local blob store as files ({@code CLIPFLOW_HOME/blobs}, key layout of {@code BlobKeys}). */
final class Blobs {

    private static final Pattern MAP_URI = Pattern.compile("#EXT-X-MAP:.*URI=\"([^\"]+)\"");

    private Blobs() {
    }

    static Path file(String key) {
        return Stack.get().home().resolve("blobs").resolve(key);
    }

    /** Every file under a key prefix folder (e.g. {@code videos/<id>}), as paths relative to it, sorted. */
    static TreeSet<String> files(String folder) {
        Path dir = file(folder);
        TreeSet<String> found = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(f -> found.add(dir.relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The bytes of every file under a key prefix folder (e.g. {@code videos/<id>/hls}), from the store's listing. */
    static long bytes(String folder) {
        Path dir = file(folder);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every byte the store holds for a video: its original ({@code originals/<id>}) and its outputs ({@code videos/<id>}). */
    static long bytesOfVideo(java.util.UUID video) {
        return bytes("originals/" + video) + bytes("videos/" + video);
    }

    /** The URIs a playlist references: media lines and {@code EXT-X-MAP} init segments. */
    static List<String> playlistUris(Path playlist) {
        try {
            List<String> uris = new ArrayList<>();
            for (String line : Files.readAllLines(playlist)) {
                String trimmed = line.strip();
                Matcher map = MAP_URI.matcher(trimmed);
                if (map.find()) {
                    uris.add(map.group(1));
                } else if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    uris.add(trimmed);
                }
            }
            return uris;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
