package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;

/**
 * Polls {@code GET /api/videos/{id}} until the video is READY or FAILED, reporting status and progress.
 * A 404 during the first 30 s is waited out: right after an upload completes the catalog may not know
 * the video yet (it learns of it from the {@code video.uploaded} event).
 */
final class VideoWatcher {

    /** How long a 404 may mean "not in the catalog yet" rather than "no such video". */
    private static final long GRACE_NANOS = 30_000_000_000L;

    private final Api api;
    private final PrintWriter err;
    private final boolean bar;

    VideoWatcher(Api api, PrintWriter err, boolean bar) {
        this.api = api;
        this.err = err;
        this.bar = bar;
    }

    /** The exit code: OK once READY, VIDEO_FAILED once FAILED. */
    int await(String videoId, long intervalMillis) throws InterruptedException {
        return await(videoId, intervalMillis, video -> { });
    }

    int await(String videoId, long intervalMillis, java.util.function.Consumer<JsonNode> onChange)
            throws InterruptedException {
        String last = "";
        long started = System.nanoTime();
        while (true) {
            JsonNode video;
            try {
                video = api.json("GET", "/api/videos/" + videoId, null);
            } catch (ApiException e) {
                // the catalog learns of a just-completed upload from an event: give it a moment
                if (e.status() == 404 && System.nanoTime() - started < GRACE_NANOS) {
                    Thread.sleep(intervalMillis);
                    continue;
                }
                throw e;
            }
            String status = video.path("status").asText();
            int progress = video.path("progress").asInt(0);
            String now = status + " " + progress;
            if (!now.equals(last)) {
                last = now;
                onChange.accept(video);
                if (bar) {
                    err.print("\r" + videoId + "  " + status + (status.equals("READY") ? "" : "  " + progress + "%") + "      ");
                    err.flush();
                }
            }
            if (status.equals("READY") || status.equals("FAILED")) {
                if (bar) {
                    err.println();
                }
                if (status.equals("FAILED")) {
                    err.println("clipflow-cli: video " + videoId + " FAILED: "
                            + video.path("failureReason").asText("no reason given"));
                    return ExitCodes.VIDEO_FAILED;
                }
                return ExitCodes.OK;
            }
            Thread.sleep(intervalMillis);
        }
    }
}
