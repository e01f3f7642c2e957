package dev.clipflow.upload.session.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.entity.UploadSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/** A whole file in one multipart request: a one-chunk session opened, written and completed at once. */
@ApplicationScoped
public class DirectUploadService {

    private final SessionService sessions;
    private final ChunkService chunks;
    private final CompletionService completion;
    private final DirectAdmissions admissions;

    public DirectUploadService(SessionService sessions, ChunkService chunks, CompletionService completion,
            DirectAdmissions admissions) {
        this.sessions = sessions;
        this.chunks = chunks;
        this.completion = completion;
        this.admissions = admissions;
    }

    /** @param admission the admission of the request (see {@link DirectAdmissions}), null when none */
    public UploadReplies.Accepted upload(UUID ownerId, FileUpload file, String title, String description,
            String category, UUID admission) {
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("upload.file_missing", "The multipart form needs a 'file' part.");
        }
        if (file.size() <= 0) {
            throw ProblemException.badRequest("upload.file_empty", "The file is empty.");
        }
        if (title != null && title.length() > 200 || description != null && description.length() > 5000
                || category != null && category.length() > 100) {
            throw ProblemException.badRequest("request.invalid",
                    "title (200), description (5000) or category (100) is too long.");
        }
        if (admission != null) {
            admissions.bodyReceived(admission);
        }
        UploadSession session = sessions.open(new NewUpload(ownerId, UploadSession.Protocol.DIRECT, file.fileName(),
                file.size(), null, file.contentType(), null, title, description, category, null)).session();
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            chunks.write(session, 0, 0, session.sizeBytes, in, Checksums.Expected.none());
        } catch (IOException e) {
            sessions.abort(session);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sessions.abort(session);
            throw e;
        }
        return completion.complete(ownerId, session.id);
    }
}
