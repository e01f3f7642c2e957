package dev.clipflow.transcode.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything transcode-service can be tuned with ({@code clipflow.transcode.*}). */
@ConfigMapping(prefix = "clipflow.transcode")
public interface TranscodeConfig {

    /**
     * The ffmpeg executable ({@code CLIPFLOW_TRANSCODE_FFMPEG_PATH}; the native image sets
     * /usr/local/bin/ffmpeg); default: the one bundled by org.bytedeco:ffmpeg (JavaCPP Loader).
     */
    Optional<String> ffmpegPath();

    /** The ffprobe executable; default: the one bundled by org.bytedeco:ffmpeg. */
    Optional<String> ffprobePath();

    /**
     * The HLS ladder, one rung per entry as {@code <height>:<video kbit/s>}; rungs above the source
     * are left out, a source below the lowest rung gets one rung at its own size.
     */
    @WithDefault("480:1400,720:2800,1080:5000")
    List<String> ladder();

    /** Audio bitrate of every output, kbit/s (AAC, stereo, 48 kHz). */
    @WithDefault("128")
    int audioKbps();

    /** Target HLS segment length; keyframes of every rendition are aligned on it. */
    @WithDefault("4")
    int segmentSeconds();

    /** x264 preset of the ladder encodes (ultrafast ... veryslow). */
    @WithDefault("veryfast")
    String preset();

    /** x264 constant rate factor of the ladder; each rung is capped at its bitrate. */
    @WithDefault("23")
    int crf();

    /** Highest output frame rate; faster sources are reduced to it. */
    @WithDefault("60")
    int maxFrameRate();

    /** Height of the thumbnail (width follows the aspect ratio). */
    @WithDefault("360")
    int thumbnailHeight();

    /** Jobs this replica runs at the same time (each one ffmpeg process). */
    @WithDefault("1")
    int concurrency();

    /** Whether this replica runs jobs at all (false: API and consumers only). */
    @WithDefault("true")
    boolean workerEnabled();

    /**
     * Folder for per-job scratch files (deleted after every job, whatever its outcome): source, MP4 and HLS
     * of a job, up to about three times the source. In Kubernetes on the scratch volume
     * ({@code CLIPFLOW_TRANSCODE_SCRATCH_DIR}).
     */
    @WithDefault("${java.io.tmpdir}/clipflow-transcode")
    String scratchDir();

    /** How often an idle worker looks for claimable jobs. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a claimed job stays ours without a heartbeat; after that another worker may take it. */
    @WithDefault("60s")
    Duration lease();

    /** How often a running job's lease is renewed (and cancellation is checked). */
    @WithDefault("10s")
    Duration heartbeat();

    /** Attempts per job before it is FAILED for good (transient failures only; a corrupt input fails at once). */
    @WithDefault("3")
    int maxAttempts();

    /** Delay before the second attempt; doubles per attempt. */
    @WithDefault("10s")
    Duration retryBackoff();

    /** On shutdown, how long a job in flight may take to finish before it is handed back to the queue. */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** How often the backlog gauges ({@code clipflow_transcode_jobs_queued} / {@code _running}) are counted. */
    @WithDefault("5s")
    Duration backlogInterval();

    /** What one job may cost; beyond it the job fails at once with the limit as its reason. */
    Limits limits();

    interface Limits {

        /** Longest source a job takes (a merge: the merged video). */
        @WithDefault("4h")
        Duration maxDuration();

        /** Most pixels per picture of a source (width x height; 4096 x 2160 by default). */
        @WithDefault("8847360")
        long maxPixels();

        /** Most frames of a source (duration x frame rate; 4 h at 60 fps by default). */
        @WithDefault("864000")
        long maxFrames();

        /** Each ffmpeg pass may run wall-time-base + this factor x the media's duration, then it is killed. */
        @WithDefault("10")
        double wallTimeFactor();

        /** See {@link #wallTimeFactor()}; also how long one ffprobe may take. */
        @WithDefault("5m")
        Duration wallTimeBase();
    }

    /** Progress events at most this often per job ... */
    @WithDefault("2s")
    Duration progressInterval();

    /** ... unless progress moved by at least this many percent. */
    @WithDefault("5")
    int progressStep();
}
