package dev.clipflow.upload.tus.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.ingest.UploadStore;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.service.ChunkService;
import dev.clipflow.upload.session.service.Checksums;
import dev.clipflow.upload.session.service.CompletionService;
import dev.clipflow.upload.session.service.NewUpload;
import dev.clipflow.upload.session.service.SessionService;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.Map;
import java.util.UUID;

/**
 * tus 1.0.0 on the same engine as the chunked API: a tus upload is a session whose PATCH bodies
 * are segments written at their offsets; reaching Upload-Length completes it exactly like
 * {@code POST /complete}.
 */
@ApplicationScoped
public class TusService {

    private final SessionService sessions;
    private final ChunkService chunks;
    private final CompletionService completion;
    private final UploadConfig config;
    private final UploadStore store;

    public TusService(SessionService sessions, ChunkService chunks, CompletionService completion,
            UploadConfig config, UploadStore store) {
        this.store = store;
        this.sessions = sessions;
        this.chunks = chunks;
        this.completion = completion;
        this.config = config;
    }

    /** POST: creation (and creation-with-upload when a body comes along). */
    public UploadSession create(UUID ownerId, long length, String metadataHeader) {
        return sessions.open(newUpload(ownerId, length, metadataHeader)).session();
    }

    /** The upload a creation's {@code Upload-Metadata} asks for (400 when it lacks a file name or is too long). */
    public NewUpload newUpload(UUID ownerId, long length, String metadataHeader) {
        Map<String, String> metadata = TusMetadata.parse(metadataHeader);
        String fileName = metadata.getOrDefault("filename", metadata.get("name"));
        if (fileName == null || fileName.isBlank()) {
            throw ProblemException.badRequest("upload.invalid_file_name",
                    "Upload-Metadata must carry a 'filename'.");
        }
        String contentType = metadata.getOrDefault("filetype", metadata.get("contentType"));
        String title = metadata.get("title");
        String description = metadata.get("description");
        String category = metadata.get("category");
        if (title != null && title.length() > 200 || description != null && description.length() > 5000
                || category != null && category.length() > 100) {
            throw ProblemException.badRequest("request.invalid",
                    "title (200), description (5000) or category (100) is too long.");
        }
        return new NewUpload(ownerId, UploadSession.Protocol.TUS, fileName, length, null,
                contentType == null || contentType.isBlank() ? null : contentType, null, title, description, category,
                metadataHeader);
    }

    public UploadSession session(UUID ownerId, UUID uploadId) {
        UploadSession session = sessions.owned(ownerId, uploadId);
        if (session.protocol != UploadSession.Protocol.TUS) {
            throw ProblemException.notFound("tus upload " + uploadId);
        }
        return session;
    }

    /** The new offset after a PATCH, and the session it was appended to (for {@code Upload-Expires}). */
    public record Appended(long offset, UploadSession session) {
    }

    /**
     * PATCH: the session is read and the segment claimed in one statement, and counting it gives the
     * new offset; only a PATCH that does not go straight through is checked step by step ({@link #append}).
     */
    public Appended patch(UUID ownerId, UUID uploadId, long offset, Long contentLength, InputStream body,
            String checksum) {
        Checksums.Expected expected;
        try {
            expected = Checksums.Expected.fromTus(checksum);
        } catch (ProblemException e) {
            expected = null; // answered in the order of the checks below
        }
        long length = contentLength == null ? -1 : contentLength;
        UploadStore.SessionRead read = store.readAndClaim(uploadId, ownerId, UploadSession.Protocol.TUS, offset,
                length, expected != null).orElse(null);
        if (read == null || !read.session().ownerId.equals(ownerId)
                || read.session().protocol != UploadSession.Protocol.TUS) {
            throw ProblemException.notFound("tus upload " + uploadId);
        }
        UploadSession session = read.session();
        if (session.tusConcat == UploadSession.Concat.FINAL) {
            throw new ProblemException(403, "tus.concat_final", "Forbidden",
                    "A final upload (Upload-Concat: final) is made of its partial uploads and takes no PATCH.");
        }
        if (read.claimed() == null) {
            return new Appended(append(session, offset, contentLength, body, checksum), session);
        }
        UploadStore.Counted counted = chunks.receive(session, session.chunksReceived, offset, length, body, expected,
                read.claimed()).orElseThrow(() -> ProblemException.conflict("tus.offset_mismatch",
                        "This segment was received already."));
        if (counted.bytesReceived() == session.sizeBytes && session.tusConcat != UploadSession.Concat.PARTIAL) {
            completion.complete(sessions.owned(ownerId, uploadId));
        }
        return new Appended(counted.bytesReceived(), session);
    }

    /** PATCH: appends a segment at {@code offset}; returns the new offset. */
    public long append(UploadSession session, long offset, Long contentLength, InputStream body, String checksum) {
        if (session.state == UploadSession.State.COMPLETED || session.state == UploadSession.State.COMPLETING) {
            if (offset == session.sizeBytes && (contentLength == null || contentLength == 0)) {
                return session.sizeBytes;
            }
        }
        sessions.requireUploading(session);
        if (offset != session.bytesReceived) {
            throw ProblemException.conflict("tus.offset_mismatch",
                    "Upload-Offset " + offset + " does not match the upload's offset " + session.bytesReceived + ".");
        }
        if (contentLength == null || contentLength < 0) {
            throw ProblemException.badRequest("tus.length_required", "PATCH needs a Content-Length.");
        }
        if (offset + contentLength > session.sizeBytes) {
            throw new ProblemException(413, "tus.exceeds_length", "Payload Too Large",
                    "The body goes past Upload-Length " + session.sizeBytes + ".");
        }
        if (contentLength > config.maxChunkSize()) {
            throw new ProblemException(413, "upload.chunk_too_large", "Payload Too Large",
                    "One PATCH may carry at most " + config.maxChunkSize() + " bytes; send smaller chunks.");
        }
        Checksums.Expected expected = Checksums.Expected.fromTus(checksum);
        if (contentLength > 0) {
            UploadStore.Counted counted = chunks.write(session, session.chunksReceived, offset, contentLength, body,
                    expected).orElseThrow(() -> ProblemException.conflict("tus.offset_mismatch",
                            "This segment was received already."));
            if (counted.bytesReceived() < session.sizeBytes) {
                return counted.bytesReceived(); // the segment's count gave the new offset: nothing to read again
            }
        }
        UploadSession now = sessions.owned(session.ownerId, session.id);
        if (now.bytesReceived == now.sizeBytes && now.tusConcat != UploadSession.Concat.PARTIAL) {
            completion.complete(now); // a partial upload is completed by its final upload only
        }
        return now.bytesReceived;
    }

    public void terminate(UploadSession session) {
        sessions.abort(session);
    }
}
