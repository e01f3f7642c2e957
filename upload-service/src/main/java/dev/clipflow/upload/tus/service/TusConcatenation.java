package dev.clipflow.upload.tus.service;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.quota.client.QuotaClient;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.service.CompletionService;
import dev.clipflow.upload.session.service.NewUpload;
import dev.clipflow.upload.session.service.SessionCleanup;
import dev.clipflow.upload.session.service.SessionService;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * tus Concatenation (what tus-js-client's {@code parallelUploads} uses): a partial upload is a tus
 * upload of its own (own Upload-Length and reservation, PATCH and HEAD as usual) that is never
 * completed nor announced alone; a final upload names the caller's finished partials in order and
 * becomes the video. Creating the final takes the partials (each once), gives their reservations back
 * and reserves the total once under the final, then completes it like a last PATCH would: the
 * original is made of the parts without copying them through this process (see
 * {@code UploadStaging.concatenate}) and the whole-file SHA-256 continues the first part's running digest.
 */
@ApplicationScoped
public class TusConcatenation {

    /** At most this many partial uploads in one final upload. */
    public static final int MAX_PARTS = 100;

    private final TusService tus;
    private final SessionService sessions;
    private final SessionCleanup cleanup;
    private final CompletionService completion;
    private final ConcatStore store;
    private final QuotaClient quota;
    private final UploadConfig config;
    private final Clock clock;

    public TusConcatenation(TusService tus, SessionService sessions, SessionCleanup cleanup,
            CompletionService completion, ConcatStore store, QuotaClient quota, UploadConfig config, Clock clock) {
        this.tus = tus;
        this.sessions = sessions;
        this.cleanup = cleanup;
        this.completion = completion;
        this.store = store;
        this.quota = quota;
        this.config = config;
        this.clock = clock;
    }

    /** POST with {@code Upload-Concat: partial}: a tus upload that only a final upload completes. */
    public UploadSession createPartial(UUID ownerId, long length) {
        UploadSession session = sessions.open(new NewUpload(ownerId, UploadSession.Protocol.TUS,
                "tus-partial-" + UUID.randomUUID() + ".part", length, null, null, null, null, null, null, null))
                .session();
        store.markPartial(session.id);
        session.tusConcat = UploadSession.Concat.PARTIAL;
        return session;
    }

    /**
     * POST with {@code Upload-Concat: final;<url> <url> ...}: the final upload of the caller's finished
     * partials in that order, completed before the answer (like a last PATCH).
     */
    public UploadSession createFinal(UUID ownerId, String concatHeader, String metadataHeader) {
        List<UUID> ids = parts(concatHeader);
        NewUpload request = tus.newUpload(ownerId, 0, metadataHeader); // checks the metadata before anything is taken
        UUID taker = UUID.randomUUID();
        List<UploadSession> parts = store.take(ownerId, ids, taker, config.maxFileSize(), clock.instant());
        long total = parts.stream().mapToLong(p -> p.sizeBytes).sum();
        parts.forEach(cleanup::release);
        UploadSession opened;
        try {
            opened = sessions.open(new NewUpload(ownerId, UploadSession.Protocol.TUS, request.fileName(), total, null,
                    request.contentType(), null, request.title(), request.description(), request.category(),
                    request.tusMetadata())).session();
        } catch (RuntimeException e) {
            store.giveBack(parts, taker, clock.instant());
            for (UploadSession part : parts) {
                try {
                    quota.reserve(part.id, ownerId, part.sizeBytes, part.videoId, part.fileName,
                            part.expiresAt.plus(Duration.ofHours(1)));
                } catch (RuntimeException again) {
                    Log.warnf("Partial upload %s could not reserve its storage again: %s", part.id, again.getMessage());
                }
            }
            throw e;
        }
        store.recordFinal(opened.id, ids, taker);
        UploadSession fin = sessions.owned(ownerId, opened.id);
        completion.complete(fin);
        return sessions.owned(ownerId, opened.id);
    }

    /** The partial upload ids of {@code final;<url> <url> ...}, in order. */
    static List<UUID> parts(String header) {
        String value = header.strip();
        if (!value.startsWith("final;")) {
            throw invalid();
        }
        String[] urls = value.substring("final;".length()).strip().split("\\s+");
        if (urls.length == 0 || urls[0].isEmpty()) {
            throw invalid();
        }
        if (urls.length > MAX_PARTS) {
            throw ProblemException.badRequest("tus.invalid_header",
                    "Upload-Concat names " + urls.length + " partial uploads; at most " + MAX_PARTS + " are accepted.");
        }
        List<UUID> ids = new ArrayList<>();
        for (String url : urls) {
            String path;
            try {
                path = URI.create(url).getPath();
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
            int at = path == null ? -1 : path.lastIndexOf("/api/tus/");
            if (at < 0) {
                throw invalid();
            }
            try {
                ids.add(UUID.fromString(path.substring(at + "/api/tus/".length())));
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        }
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw ProblemException.conflict("tus.concat_part_used", "Upload-Concat names a partial upload twice.");
        }
        return ids;
    }

    private static ProblemException invalid() {
        return ProblemException.badRequest("tus.invalid_header",
                "Upload-Concat must be 'partial' or 'final;' followed by the URLs of partial uploads (/api/tus/{id}), "
                        + "separated by spaces.");
    }
}
