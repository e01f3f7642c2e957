package dev.clipflow.upload.ingest;

import dev.clipflow.contracts.problem.ProblemException;

/** 409: a live request of some replica is receiving this chunk; answered with {@code Retry-After}. */
public class ChunkInProgress extends ProblemException {

    /** Seconds a client should wait before sending the chunk again. */
    public static final long RETRY_AFTER_SECONDS = 1;

    public ChunkInProgress(String code, String detail) {
        super(409, code, "Conflict", detail);
    }

    public long retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
