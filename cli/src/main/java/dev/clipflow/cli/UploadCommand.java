package dev.clipflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "upload", description = {
        "Upload video files through the chunked API, several chunks in parallel.",
        "An interrupted upload (Ctrl-C, crash, kill -9, lost network) resumes where it stopped when the same",
        "command is run again: the unfinished sessions are kept in uploads.json of the client's folder."})
final class UploadCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The video files.")
    List<Path> files;

    @Option(names = {"-j", "--parallel"}, defaultValue = "4", description = "Chunks in flight at once (${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--chunk-size", paramLabel = "SIZE", description = "Chunk size, e.g. 8M (default: the server's).")
    String chunkSize;

    @Option(names = "--limit-rate", paramLabel = "RATE", description = "Send at most RATE bytes per second, e.g. 500k.")
    String limitRate;

    @Option(names = "--title", description = "Title of the video (default: the file name without its extension).")
    String title;

    @Option(names = "--description", description = "Description of the video.")
    String description;

    @Option(names = "--category", description = "Category of the video.")
    String category;

    @Option(names = "--wait", description = "After uploading, wait until every video is READY (exit 8 if one FAILED).")
    boolean await;

    @Option(names = "--json", description = "Print one JSON array of results on standard output; no progress bar.")
    boolean json;

    @Option(names = "--progress", negatable = true, description = "Draw the progress bar (default: only on a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CliException(ExitCodes.FAILURE, "Cannot read " + file + ".");
            }
        }
        Api api = cli.api();
        Uploader uploader = new Uploader(api, new UploadState(cli.home), new Uploader.Options(parallel,
                chunkSize == null ? 0 : RateLimit.parse(chunkSize), title, description, category,
                new RateLimit(limitRate == null ? 0 : RateLimit.parse(limitRate))));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean bar = progress != null ? progress : !json && System.console() != null;
        List<Object> results = new ArrayList<>();
        int exit = ExitCodes.OK;
        for (Path file : files) {
            ProgressBar progressBar = new ProgressBar(err, bar, Files.size(file));
            progressBar.label(file.getFileName().toString());
            try {
                Uploader.Result result = uploader.upload(file, progressBar);
                progressBar.finish();
                results.add(result);
                if (!json) {
                    out.printf("%s -> video %s%s%n", file, result.videoId(), result.resumed() ? " (resumed)" : "");
                }
            } catch (CliException e) {
                progressBar.finish();
                if (exit == ExitCodes.OK) {
                    exit = e.exitCode();
                }
                results.add(failure(file, e));
                err.println("clipflow-cli: " + file + ": " + e.getMessage());
            }
        }
        if (await && exit == ExitCodes.OK) {
            for (Object result : results) {
                String videoId = ((Uploader.Result) result).videoId();
                int watched = new VideoWatcher(api, err, bar).await(videoId, 1000);
                exit = exit == ExitCodes.OK ? watched : exit;
            }
        }
        if (json) {
            out.println(Api.write(results));
        }
        return exit;
    }

    private static Map<String, Object> failure(Path file, CliException e) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("file", file.toString());
        failure.put("error", e.getMessage());
        failure.put("exitCode", e.exitCode());
        if (e instanceof ApiException api && api.code() != null) {
            failure.put("code", api.code());
        }
        return failure;
    }
}
