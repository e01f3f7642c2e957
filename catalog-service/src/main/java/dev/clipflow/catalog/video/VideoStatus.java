package dev.clipflow.catalog.video;

/** Where a video is in its life. */
public enum VideoStatus {
    UPLOADING, PROCESSING, READY, FAILED
}
