package dev.clipflow.contracts.events;

import java.util.UUID;

/**
 * {@code transcode.progress}: a job moved (throttled by the worker: at most every 2 s or 5 %).
 *
 * @param status QUEUED, RUNNING, SUCCEEDED or FAILED
 * @param progress 0 to 100
 */
public record TranscodeProgress(UUID jobId, UUID videoId, UUID ownerId, String status, int progress) {
}
