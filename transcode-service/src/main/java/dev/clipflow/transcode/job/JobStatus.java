package dev.clipflow.transcode.job;

/** Where a job stands, as the contract names it. A cancelled job is FAILED with a reason saying so. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
