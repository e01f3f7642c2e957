package dev.clipflow.transcode.job;

import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.events.VideoUploaded;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds events and job rows for the service tests. */
public final class JobTestSupport {

    private JobTestSupport() {
    }

    public static CloudEvent<VideoUploaded> uploaded(UUID videoId, UUID ownerId, String blobKey) {
        return CloudEvent.of(Topics.VIDEO_UPLOADED, "/clipflow/upload-service", videoId.toString(),
                new VideoUploaded(videoId, ownerId, UUID.randomUUID(), "clip.mp4", "video/mp4", 1000, null, blobKey,
                        "A clip", null, null, Instant.now()));
    }

    public static CloudEvent<TranscodeRequest> request(TranscodeRequest request) {
        return CloudEvent.of(Topics.TRANSCODE_REQUESTS, "/clipflow/catalog-service", request.videoId().toString(),
                request);
    }

    /** Inserts a job row directly (for API tests and the crashed-worker test). */
    public static Job insert(UUID ownerId, UUID videoId, JobStatus status, Instant notBefore, String leaseOwner,
            Instant leaseUntil) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = new Job();
            job.id = UUID.randomUUID();
            job.type = TranscodeRequest.Type.TRANSCODE;
            job.status = status;
            job.videoId = videoId;
            job.ownerId = ownerId;
            job.sources(List.of());
            job.createdAt = Instant.now();
            job.updatedAt = job.createdAt;
            job.notBefore = notBefore;
            job.leaseOwner = leaseOwner;
            job.leaseUntil = leaseUntil;
            job.attempts = status == JobStatus.QUEUED ? 0 : 1;
            job.error = status == JobStatus.FAILED ? "The file is not a readable video." : null;
            job.progress = status == JobStatus.SUCCEEDED ? 100 : 0;
            job.persist();
            return job;
        });
    }

    public static Job find(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(id));
    }
}
