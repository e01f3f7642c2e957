package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;

/** Polls {@code GET /api/videos/{id}} until the video is READY or FAILED, reporting status and progress. */
final class VideoWatcher {

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
        while (true) {
            JsonNode video = api.json("GET", "/api/videos/" + videoId, null);
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
