package dev.clipflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "watch", description = {"Follow a video's status and progress until it is READY (exit 0) or FAILED (exit 8)."})
final class WatchCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The video's id.")
    String id;

    @Option(names = "--interval", defaultValue = "1000", paramLabel = "MILLIS", description = "Poll interval (${DEFAULT-VALUE} ms).")
    long interval;

    @Option(names = "--json", description = "One JSON line per change of status or progress (the video resource).")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null && !json;
        return new VideoWatcher(cli.api(), spec.commandLine().getErr(), terminal).await(id, interval, video -> {
            if (json) {
                out.println(video.toString());
            } else if (!terminal) {
                String status = video.path("status").asText();
                out.println(status + (status.equals("READY") || status.equals("FAILED") ? ""
                        : " " + video.path("progress").asInt(0) + "%"));
            }
        });
    }
}
