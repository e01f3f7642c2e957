package dev.clipflow.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * {@code transcode.progress}: a job moved (throttled by the worker: at most every 2 s or 5 %).
 *
 * @param status QUEUED, RUNNING, SUCCEEDED or FAILED
 * @param progress 0 to 100
 * @param etaSeconds while RUNNING, the worker's estimate of the seconds left (from the pace so far); null when
 *        it cannot tell yet or the job is not running
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranscodeProgress(UUID jobId, UUID videoId, UUID ownerId, String status, int progress,
        Integer etaSeconds) {

    /** Without an estimate. */
    public TranscodeProgress(UUID jobId, UUID videoId, UUID ownerId, String status, int progress) {
        this(jobId, videoId, ownerId, status, progress, null);
    }
}
