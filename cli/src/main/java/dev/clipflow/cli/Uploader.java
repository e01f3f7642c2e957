package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One file through the chunked upload API: a session ({@code POST /api/uploads} with the file's sha256),
 * its missing chunks {@code PUT} in parallel with a {@code Digest} each, then {@code complete}. The
 * session is remembered in {@link UploadState} before the first chunk, so a later run asks the server
 * which chunks are missing ({@code GET /api/uploads/{id}}) and sends only those.
 */
final class Uploader {

    /** What happened to one file. */
    record Result(String file, String videoId, String uploadId, long sizeBytes, boolean resumed, long bytesSent) {
    }

    /** The options of one {@code upload} run. */
    record Options(int parallel, long chunkSize, String title, String description, String category,
            RateLimit rateLimit) {
    }

    private static final int ATTEMPTS = 5;

    private final Api api;
    private final UploadState state;
    private final Options options;

    Uploader(Api api, UploadState state, Options options) {
        this.api = api;
        this.state = state;
        this.options = options;
    }

    Result upload(Path file, ProgressBar progress) throws IOException, InterruptedException {
        long size = Files.size(file);
        UploadState.Entry entry = state.find(file, api.server());
        List<Integer> missing = null;
        boolean resumed = false;
        if (entry != null && entry.size() < 0) {
            abandon(entry); // the file changed since, or another server: start again
            state.remove(file);
            entry = null;
        }
        if (entry != null) {
            JsonNode status = status(entry);
            String s = status == null ? "GONE" : status.path("state").asText();
            if (s.equals("UPLOADING")) {
                missing = missingOf(status);
                resumed = true;
            } else if (s.equals("COMPLETING") || s.equals("COMPLETED")) {
                progress.alreadyThere(size);
                complete(entry);
                state.remove(file);
                return new Result(file.toString(), entry.videoId(), entry.uploadId(), size, true, 0);
            } else {
                state.remove(file);
                entry = null;
            }
        }
        if (entry == null) {
            entry = create(file, size);
            state.put(file, entry);
            missing = allChunks(size, entry.chunkSize());
        }
        long before = size - bytesOf(missing, entry.chunkSize(), size);
        progress.alreadyThere(before);
        long sent = sendChunks(file, entry, missing, size, progress);
        complete(entry);
        state.remove(file);
        return new Result(file.toString(), entry.videoId(), entry.uploadId(), size, resumed, sent);
    }

    private static List<Integer> missingOf(JsonNode status) {
        List<Integer> missing = new ArrayList<>();
        status.path("missingChunks").forEach(i -> missing.add(i.asInt()));
        return missing;
    }

    private JsonNode status(UploadState.Entry entry) {
        try {
            return api.json("GET", "/api/uploads/" + entry.uploadId(), null);
        } catch (ApiException e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private void abandon(UploadState.Entry entry) {
        try {
            if (entry.server().equals(api.server())) {
                api.json("DELETE", "/api/uploads/" + entry.uploadId(), null);
            }
        } catch (CliException ignored) {
            // expired or gone already: the server sweeps abandoned sessions anyway
        }
    }

    private UploadState.Entry create(Path file, long size) throws IOException {
        String sha256 = sha256(file);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fileName", file.getFileName().toString());
        body.put("size", size);
        if (options.chunkSize() > 0) {
            body.put("chunkSize", options.chunkSize());
        }
        String type = Files.probeContentType(file);
        body.put("contentType", type != null && type.startsWith("video/") ? type : "application/octet-stream");
        body.put("sha256", sha256);
        String name = file.getFileName().toString();
        putIfSet(body, "title", options.title() != null ? options.title()
                : name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name);
        putIfSet(body, "description", options.description());
        putIfSet(body, "category", options.category());
        JsonNode created = api.json("POST", "/api/uploads", body);
        return new UploadState.Entry(api.server(), created.path("uploadId").asText(), created.path("videoId").asText(),
                size, Files.getLastModifiedTime(file).toMillis(), created.path("chunkSize").asLong(), sha256);
    }

    private static void putIfSet(Map<String, Object> body, String key, String value) {
        if (value != null && !value.isBlank()) {
            body.put(key, value);
        }
    }

    private long sendChunks(Path file, UploadState.Entry entry, List<Integer> missing, long size, ProgressBar progress)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.parallel()));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<Long>> sent = new ArrayList<>();
            for (int index : missing) {
                sent.add(pool.submit(() -> {
                    long length = sendChunk(channel, entry, index, size);
                    progress.advance(length);
                    return length;
                }));
            }
            long total = 0;
            for (Future<Long> future : sent) {
                try {
                    total += future.get();
                } catch (ExecutionException e) {
                    sent.forEach(f -> f.cancel(true));
                    if (e.getCause() instanceof CliException failure) {
                        throw failure;
                    }
                    throw new CliException(ExitCodes.FAILURE, "Upload of " + file + " failed: " + e.getCause(), e);
                }
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private long sendChunk(FileChannel channel, UploadState.Entry entry, int index, long size) throws Exception {
        long offset = (long) index * entry.chunkSize();
        int length = (int) Math.min(entry.chunkSize(), size - offset);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new CliException(ExitCodes.FAILURE, "The file got shorter while uploading.");
            }
        }
        byte[] bytes = buffer.array();
        String digest = "sha-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        options.rateLimit().acquire(length);
        for (int attempt = 1; ; attempt++) {
            try {
                api.send(b -> b.PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .header("Content-Type", "application/octet-stream").header("Digest", digest),
                        HttpResponse.BodyHandlers.discarding(), "/api/uploads/" + entry.uploadId() + "/chunks/" + index);
                return length;
            } catch (CliException e) {
                boolean transient_ = e.exitCode() == ExitCodes.UNAVAILABLE
                        || e instanceof ApiException api && api.status() == 429;
                if (!transient_ || attempt >= ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(500L << attempt);
            }
        }
    }

    /** {@code complete}; a 409 (a chunk is missing after all) sends what is missing and completes again. */
    private void complete(UploadState.Entry entry) {
        for (int attempt = 1; ; attempt++) {
            try {
                api.json("POST", "/api/uploads/" + entry.uploadId() + "/complete", null);
                return;
            } catch (ApiException e) {
                if (e.status() == 409 && attempt < 3) {
                    JsonNode status = status(entry);
                    if (status != null && !missingOf(status).isEmpty()) {
                        throw new CliException(ExitCodes.REJECTED, "The server is missing chunks "
                                + missingOf(status) + " of upload " + entry.uploadId() + "; run the upload again.");
                    }
                    continue;
                }
                throw e;
            }
        }
    }

    private static List<Integer> allChunks(long size, long chunkSize) {
        int count = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
        List<Integer> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    private static long bytesOf(List<Integer> chunks, long chunkSize, long size) {
        long total = 0;
        for (int index : chunks) {
            total += Math.min(chunkSize, size - (long) index * chunkSize);
        }
        return total;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
