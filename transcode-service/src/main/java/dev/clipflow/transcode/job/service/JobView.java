package dev.clipflow.transcode.job.service;

import dev.clipflow.transcode.job.Job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as the API shows it (contract: transcode-service, Jobs). */
public record JobView(UUID id, String type, String status, int progress, UUID videoId, List<UUID> sourceVideoIds,
        String error, Instant createdAt, Instant updatedAt) {

    public static JobView of(Job job) {
        return new JobView(job.id, job.type.name(), job.status.name(), job.progress, job.videoId, job.sources(),
                job.error, job.createdAt, job.updatedAt);
    }
}
