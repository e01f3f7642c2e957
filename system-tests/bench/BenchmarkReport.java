import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * Writes docs/benchmarks.md from the key=value figures that {@code ./clipflow bench} collected
 * (target/bench/run-N.properties, stack.properties, conditions.properties): the median of every
 * figure over the runs, its range, the target and whether the median meets it. A single-file
 * program, run by system-tests/bench/run-all.sh as {@code java BenchmarkReport.java OUT DOC}.
 */
public class BenchmarkReport {

    /** One row of the table: a figure, how to print it, its target (or none) and the baseline it is a ratio to. */
    record Figure(String key, String label, String unit, String target, DoublePredicate meets, String page) {
    }

    /** Cores of the machine the figures were measured on (conditions.properties); parallel work scales up to them. */
    static int cores = Runtime.getRuntime().availableProcessors();

    /**
     * Parallel transfers scale with the cores when they reach at least 80 % of min(4, cores) times one transfer, but
     * only where the cores are the service's: where clients and gateway run on the same cores (these benchmarks), what
     * one transfer leaves idle bounds any gain, so the verdict is on the share of the ceiling measured in the same run.
     */
    static final String WITHIN_CEILING = "0.8 x min(4, cores) with cores to spare; here: the ceiling below";

    static final List<Figure> FIGURES = List.of(
            new Figure("quota.service_ops_s", "quota: reservations/s, 64 clients, 1,000 users (service code, real wire server)", "/s", ">= 2,000/s", v -> v >= 2000, "benchmarks-quota.md"),
            new Figure("quota.http_ops_s", "quota: reservations/s over HTTP (client, service, wire server on the same cores)", "/s", null, null, "benchmarks-quota.md"),
            new Figure("quota.contended_over_limit", "quota: reservations granted beyond the limit, 64 clients racing on one user", "", "0", v -> v == 0, "benchmarks-quota.md"),
            new Figure("upload.chunked_mibs", "upload: 1 GiB chunked upload over loopback", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.cat_mibs", "upload baseline: `cat file > dest` on the same disk", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.cat_sync_mibs", "upload baseline: `cat file > dest` + sync (durable, like an acknowledged chunk)", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.ratio_vs_cat", "upload: chunked upload / `cat`", "x", ">= 0.8x", v -> v >= 0.8, "benchmarks-upload.md"),
            new Figure("upload.ratio_vs_cat_sync", "upload: chunked upload / `cat` + sync", "x", ">= 0.8x", v -> v >= 0.8, "benchmarks-upload.md"),
            new Figure("upload.raw_tcp_mibs", "upload floor: the file over one raw TCP loopback connection into a file + fsync (no HTTP)", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.raw_tcp_sha_mibs", "upload floor: the same with SHA-256 of every byte (what `video.uploaded` needs)", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.ratio_vs_raw_tcp_sha", "upload: chunked upload / raw TCP + SHA-256 floor (Clipflow / hashed floor)", "x", ">= 0.8x", v -> v >= 0.8, "benchmarks-upload.md"),
            new Figure("upload.cpu_s_per_gib", "upload: service CPU seconds per GiB uploaded", " s", "<= 3 s", v -> v <= 3, "benchmarks-upload.md"),
            new Figure("upload.floor_cpu_s_per_gib", "upload baseline: CPU seconds per GiB of the hashed floor's receiving thread", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.cpu_vs_floor_cpu", "upload: service CPU / the hashed floor's CPU (same run)", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_8mib_mibs", "upload: tus 1 GiB, 8 MiB chunks, tus-js-client 4.3.1 through nginx", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_reference_8mib_mibs", "upload baseline: `@tus/server` 2.4.5 + file store, the same", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_ratio_8mib", "upload: Clipflow tus / `@tus/server`, 8 MiB chunks", "x", ">= 1.0x", v -> v >= 1.0, "benchmarks-upload.md"),
            new Figure("upload.tus_cpu_s_per_gib_8mib", "upload: service CPU seconds per GiB, tus 8 MiB chunks", " s", "<= 3 s", v -> v <= 3, "benchmarks-upload.md"),
            new Figure("upload.tus_reference_cpu_s_per_gib_8mib", "upload baseline: `@tus/server` CPU seconds per GiB, 8 MiB chunks", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_64mib_mibs", "upload: tus 1 GiB, 64 MiB chunks, through nginx", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_reference_64mib_mibs", "upload baseline: `@tus/server`, 64 MiB chunks", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_ratio_64mib", "upload: Clipflow tus / `@tus/server`, 64 MiB chunks", "x", ">= 1.0x", v -> v >= 1.0, "benchmarks-upload.md"),
            new Figure("upload.tus_cpu_s_per_gib_64mib", "upload: service CPU seconds per GiB, tus 64 MiB chunks", " s", "<= 3 s", v -> v <= 3, "benchmarks-upload.md"),
            new Figure("upload.tus_reference_cpu_s_per_gib_64mib", "upload baseline: `@tus/server` CPU seconds per GiB, 64 MiB chunks", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.chunked_vs_tus_64mib", "upload: chunked API (loopback, 4 in flight) / tus 64 MiB (gateway)", "x", ">= 1.0x", v -> v >= 1.0, "benchmarks-upload.md"),
            new Figure("upload.finalize_100mib_s", "upload: finalize 100 MiB", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.finalize_1gib_s", "upload: finalize 1 GiB", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.finalize_ratio", "upload: finalize 1 GiB / 100 MiB", "x", "within 2x", v -> v <= 2, "benchmarks-upload.md"),
            new Figure("upload.parallel4_mibs", "upload: aggregate rate of 4 parallel uploads", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_scaling", "upload: 4 parallel uploads / one upload (scales with cores: clients, nginx and service share them here)", "x", WITHIN_CEILING, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_reference_scaling", "upload baseline: `@tus/server`, 4 parallel uploads / one upload, the same rounds", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_durable_floor_mibs", "upload floor: 4 writers at once writing the file in 64 MiB steps with an fdatasync each (the disk alone)", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel_disk_ceiling", "upload: that floor / one upload (the most 4 uploads can gain on this disk)", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_of_disk_floor", "upload: 4 parallel uploads' aggregate rate / that floor", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel_ceiling", "upload: ceiling of any 4-upload scaling on this machine (min of 1 / its busy share during one upload, as clients, nginx and service share the cores, and the disk ceiling)", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_of_ceiling", "upload: 4 parallel uploads' scaling / that ceiling (scales with cores)", "x", ">= 0.8x", v -> v >= 0.8, "benchmarks-upload.md"),
            new Figure("upload.parallel_busy_four", "upload: busy share of the machine during the 4 parallel uploads (1.00x: every core)", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel1_service_cpu_s_per_gib", "upload: service CPU seconds per GiB, one tus upload (64 MiB chunks)", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_service_cpu_s_per_gib", "upload: service CPU seconds per GiB, 4 tus uploads at once", " s", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel_shared_cpu_ceiling", "upload: CPU ceiling of 4-upload scaling with what clients, nginx and kernel spent per GiB during the 4 and the service at its one-upload cost", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.parallel4_of_shared_cpu_ceiling", "upload: 4 parallel uploads' scaling / that ceiling", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_concat4_64mib_mibs", "upload: tus `Upload-Concat`, `parallelUploads: 4`, 64 MiB chunks", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_concat4_ratio", "upload: tus `Upload-Concat` with 4 parallel parts / one tus upload (scales with cores: clients, nginx and service share them here)", "x", WITHIN_CEILING, null, "benchmarks-upload.md"),
            new Figure("upload.sha256_mibs", "upload: SHA-256 rate here (the service's digest, one core)", " MiB/s", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_concat4_floor_ratio", "upload: floor of `parallelUploads: 4` / one upload here (4 clients' aggregate rate + SHA-256 of 3/4 of the file after the last byte)", "x", null, null, "benchmarks-upload.md"),
            new Figure("upload.tus_concat4_of_floor", "upload: `parallelUploads: 4`, share of that floor's speed reached (scales with cores)", "x", ">= 0.8x", v -> v >= 0.8, "benchmarks-upload.md"),
            new Figure("upload.rss_idle_mb", "upload: service RSS before the ingest", " MB", null, null, "benchmarks-upload.md"),
            new Figure("upload.rss_peak_mb", "upload: service peak RSS while ingesting 4 GiB", " MB", "< 300 MB", v -> v < 300, "benchmarks-upload.md"),
            new Figure("transcode.service_s", "transcode: 3-rung ladder + MP4 through the service pipeline", " s", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.handwritten_s", "transcode baseline: the same ladder as one hand-written ffmpeg command", " s", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.ratio_vs_handwritten", "transcode: service / hand-written command", "x", "<= 1.05x", v -> v <= 1.05, "benchmarks-transcode.md"),
            new Figure("transcode.separate3_s", "transcode baseline: three separate ffmpeg runs", " s", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.ratio_vs_separate3", "transcode: three separate runs / service (speed-up)", "x", ">= 1.8x", v -> v >= 1.8, "benchmarks-transcode.md"),
            new Figure("transcode.decode_once_ceiling_vs_separate3", "transcode: ceiling of any decode-once design vs the three runs (cpu)", "x", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.separate4_s", "transcode baseline: four separate runs (3 HLS + MP4, the same outputs)", " s", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.ratio_vs_separate4", "transcode: four separate runs / service (speed-up)", "x", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.realtime_factor", "transcode: realtime factor of the service pipeline", "x", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.none_s", "transcode baseline: the service's ladder without the extras (no storyboard, no audio-only outputs)", " s", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.storyboard_ratio", "transcode: ladder with the storyboard / without extras", "x", "<= 1.05x", v -> v <= 1.05, "benchmarks-transcode.md"),
            new Figure("transcode.extras.audio_only_ratio", "transcode: ladder with the audio-only variant and m4a / without extras", "x", "<= 1.05x", v -> v <= 1.05, "benchmarks-transcode.md"),
            new Figure("transcode.extras.both_ratio", "transcode: ladder with every extra (the service) / without extras", "x", "<= 1.05x", v -> v <= 1.05, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.total", "storage of one 10 s 1080p video: original + renditions + extras", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.original", "storage: the original (the 10 s camera-like source)", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.mp4", "storage: the progressive MP4", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.renditions", "storage: the HLS video renditions (playlists and segments)", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.audio_variant", "storage: the audio-only HLS variant", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.audio_m4a", "storage: the audio-only download (m4a)", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.storyboard", "storage: the storyboard (sprite and WebVTT)", " B", null, null, "benchmarks-transcode.md"),
            new Figure("transcode.extras.bytes.thumbnail", "storage: the thumbnail", " B", null, null, "benchmarks-transcode.md"),
            new Figure("catalog.p99_ms", "catalog: `GET /api/videos/{id}` p99 at a constant 500 req/s with JWT", " ms", "< 20 ms", v -> v < 20, "benchmarks-catalog.md"),
            new Figure("catalog.p50_ms", "catalog: the same, p50", " ms", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.errors", "catalog: errors during the constant-rate run", "", "0", v -> v == 0, "benchmarks-catalog.md"),
            new Figure("catalog.stream_mibs", "catalog: streaming 1 GiB through `/stream` (warm cache)", " MiB/s", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.cat_mibs", "catalog baseline: `cat` of the same stored file to /dev/null", " MiB/s", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.stream_ratio_vs_cat", "catalog: streaming / `cat`", "x", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.stream_curl_mibs", "catalog: 1 GiB MP4 through `/stream` with curl (sendfile)", " MiB/s", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.nginx_curl_mibs", "catalog baseline: nginx `sendfile on`, the same file, curl", " MiB/s", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.stream_ratio_vs_nginx", "catalog: streaming / nginx", "x", ">= 0.5x", v -> v >= 0.5, "benchmarks-catalog.md"),
            new Figure("catalog.hls64_warmup_s", "catalog: warm-up before the HLS run (until the JIT compilers are idle)", " s", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.hls64_p99_ms", "catalog: HLS 1 MiB segment p99, 64 connections (wrk)", " ms", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.nginx_hls64_p99_ms", "catalog baseline: nginx, the same segment, 64 connections", " ms", null, null, "benchmarks-catalog.md"),
            new Figure("catalog.hls64_p99_ratio_vs_nginx", "catalog: HLS p99 at 64 readers / nginx", "x", "within 2x", v -> v <= 2, "benchmarks-catalog.md"));

    static final List<Figure> STACK = List.of(
            new Figure("stack.rest_pss_mb", "whole stack at rest, PSS (shared pages split)", " MB", null, null, null),
            new Figure("stack.rest_rss_mb", "whole stack at rest, RSS (shared pages counted per process)", " MB", null, null, null),
            new Figure("stack.load_peak_pss_mb", "whole stack, peak PSS during 4 parallel 256 MiB uploads + their transcodes", " MB", null, null, null),
            new Figure("stack.load_peak_rss_mb", "whole stack, peak RSS during the same load", " MB", null, null, null),
            new Figure("stack.load_upload_mibs", "aggregate upload rate of the 4 uploads through the gateway", " MiB/s", null, null, null));

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path doc = Path.of(args[1]);
        Map<String, List<Double>> values = new LinkedHashMap<>();
        List<Path> runs;
        try (var files = Files.list(out)) {
            runs = files.filter(p -> p.getFileName().toString().matches("(run-\\d+|stack)\\.properties")).sorted().toList();
        }
        for (Path run : runs) {
            for (String line : Files.readAllLines(run)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    double value;
                    try {
                        value = Double.parseDouble(line.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        value = Double.NaN;
                    }
                    if (Double.isFinite(value)) { // a ratio over a baseline that was not measured counts as not measured
                        values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(value);
                    } else {
                        System.err.println("not a figure, ignored: " + run.getFileName() + ": " + line);
                    }
                }
            }
        }
        Properties conditions = new Properties();
        try (var in = Files.newBufferedReader(out.resolve("conditions.properties"))) {
            conditions.load(in);
        }
        try {
            cores = Integer.parseInt(conditions.getProperty("cores", "").trim());
        } catch (NumberFormatException unknown) {
            // this machine's
        }

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n")
                .append("Written by `./clipflow bench` (system-tests/bench/run-all.sh) on ").append(conditions.getProperty("date"))
                .append("; do not edit by hand, run it again. Every figure is the **median of ")
                .append(conditions.getProperty("runs")).append(" runs** (range in brackets), each run measuring its baseline")
                .append(" in the same process or script. No benchmark is a timed test; the per-service pages say what")
                .append(" each one measures, how to run it alone, and keep earlier runs for comparison.\n\n")
                .append("Machine: ").append(conditions.getProperty("cores")).append(" cores (").append(conditions.getProperty("cpu"))
                .append("), ").append(conditions.getProperty("memory")).append(", Java ").append(conditions.getProperty("java"))
                .append(". Load average before: ").append(conditions.getProperty("load_before"))
                .append("; after: ").append(conditions.getProperty("load_after"))
                .append(". Load at the start of each benchmark: ").append(loads(values)).append(".\n\n")
                .append(conditions.getProperty("failed", "").isBlank() ? ""
                        : "**Failed runs** (their figures are missing from the medians): " + conditions.getProperty("failed")
                                + "; see their logs in `target/bench/`.\n\n")
                .append("```bash\n./clipflow bench        # builds, runs everything 3 times (about 90 minutes on 2 cores), rewrites this page\n")
                .append("./clipflow bench 5      # 5 runs\n```\n\n")
                .append("## Service figures\n\n")
                .append("| figure | median | range | target | verdict | details |\n|---|---|---|---|---|---|\n");
        for (Figure figure : FIGURES) {
            row(md, figure, values.get(figure.key()));
        }
        md.append("\n## The whole stack\n\n")
                .append("Every process `./clipflow up` starts (PostgreSQL with its backends, Kafka, the MongoDB wire server,")
                .append(" GreenMail, the five services, nginx with its workers), measured by `StackLoadBenchmark` from")
                .append(" `/proc/<pid>/smaps_rollup`: at rest, then while four users each upload a 256 MiB video at the same time")
                .append(" (16 MiB chunks, two in flight each) until all four are READY; ")
                .append("each run's log in `target/bench/stack.log` lists the PSS of every process.\n\n")
                .append("| figure | median | range | target | verdict | details |\n|---|---|---|---|---|---|\n");
        for (Figure figure : STACK) {
            row(md, figure, values.get(figure.key()));
        }
        md.append("\n## Reading them\n\n")
                .append("- A ratio's baseline is measured in the same run as the figure: `cat` of the same file on the same disk")
                .append(" (upload, catalog), one hand-written ffmpeg command and separate ffmpeg runs on the same source with the")
                .append(" same encoder settings (transcode).\n")
                .append("- Figures are this 2-core machine's, with load generator and service on the same cores; they are not")
                .append(" capacity planning numbers. A load average well above the core count in the line above means the run")
                .append(" shared the CPU with other work: read the per-service pages for quiet-machine runs.\n")
                .append("- Targets come from the issues; a **not met** verdict is explained on the service's page.\n");
        Files.writeString(doc, md.toString());
        System.out.println("wrote " + doc + " from " + runs.size() + " result files");
    }

    private static void row(StringBuilder md, Figure figure, List<Double> found) {
        md.append("| ").append(figure.label()).append(" | ");
        if (found == null || found.isEmpty()) {
            // a benchmark that did not write this key (not run, failed, or older than the row): say so, do not fail
            md.append("not measured | | ").append(figure.target() == null ? "" : figure.target()).append(" | ")
                    .append(figure.meets() == null ? "" : "not measured").append(" | ");
        } else {
            List<Double> sorted = found.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            md.append("**").append(format(median, figure.unit())).append("** | ")
                    .append(format(sorted.get(0), figure.unit())).append(" – ").append(format(sorted.get(sorted.size() - 1), figure.unit()))
                    .append(" (n=").append(sorted.size()).append(") | ")
                    .append(figure.target() == null ? "" : figure.target()).append(" | ")
                    .append(figure.meets() == null ? "" : figure.meets().test(median) ? "met" : "**not met**").append(" | ");
        }
        md.append(figure.page() == null ? "" : "[" + figure.page().replace(".md", "") + "](" + figure.page() + ")").append(" |\n");
    }

    private static String format(double value, String unit) {
        String number = Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : Math.abs(value) >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return number + unit;
    }

    private static String loads(Map<String, List<Double>> values) {
        return values.entrySet().stream().filter(e -> e.getKey().startsWith("load."))
                .map(e -> e.getKey().substring(5) + " " + e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.1f", v))
                        .collect(Collectors.joining("/")))
                .collect(Collectors.joining(", "));
    }
}
