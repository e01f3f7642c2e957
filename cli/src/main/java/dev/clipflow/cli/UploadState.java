package dev.clipflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code uploads.json}: the unfinished uploads of this client, by absolute file path, so that a later
 * run (after Ctrl-C, a crash or {@code kill -9}) resumes the same server session instead of starting
 * again. The server keeps which chunks arrived; the file keeps only which session is whose.
 */
final class UploadState {

    /** One unfinished upload; {@code size} and {@code modified} tell whether the file is still the same. */
    record Entry(String server, String uploadId, String videoId, long size, long modified, long chunkSize,
            String sha256) {
    }

    /** The file's JSON shape. */
    record Uploads(Map<String, Entry> uploads) {
    }

    private final CliHome home;

    UploadState(CliHome home) {
        this.home = home;
    }

    synchronized Entry find(Path file, String server) throws IOException {
        Entry entry = all().get(key(file));
        if (entry == null || !entry.server().equals(server) || entry.size() != Files.size(file)
                || entry.modified() != Files.getLastModifiedTime(file).toMillis()) {
            return entry == null ? null : stale(entry);
        }
        return entry;
    }

    /** An entry for another server or an edited file: only good for cleaning up its session. */
    private static Entry stale(Entry entry) {
        return new Entry(entry.server(), entry.uploadId(), entry.videoId(), -1, -1, entry.chunkSize(), entry.sha256());
    }

    synchronized void put(Path file, Entry entry) {
        Map<String, Entry> all = all();
        all.put(key(file), entry);
        home.write(home.uploadsFile(), new Uploads(all));
    }

    synchronized void remove(Path file) {
        Map<String, Entry> all = all();
        if (all.remove(key(file)) != null) {
            home.write(home.uploadsFile(), new Uploads(all));
        }
    }

    private Map<String, Entry> all() {
        Uploads uploads = home.read(home.uploadsFile(), Uploads.class);
        return uploads == null || uploads.uploads() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(uploads.uploads());
    }

    private static String key(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }
}
