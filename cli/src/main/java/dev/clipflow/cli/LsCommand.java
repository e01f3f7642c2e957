package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "ls", description = "List videos, newest first: your own, or with --all the platform's shared ones too.")
final class LsCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Option(names = {"-q", "--query"}, description = "Search title, description and file name.")
    String query;

    @Option(names = "--status", description = "Only videos in this status: UPLOADING, PROCESSING, READY, FAILED.")
    String status;

    @Option(names = "--category", description = "Only videos of this category.")
    String category;

    @Option(names = {"-a", "--all"}, description = "Include other users' PLATFORM videos.")
    boolean all;

    @Option(names = "--page", defaultValue = "0", description = "Page, from 0.")
    int page;

    @Option(names = "--size", defaultValue = "20", description = "Videos per page (at most 100).")
    int size;

    @Option(names = "--json", description = "Print the API's page as JSON.")
    boolean json;

    @Override
    public Integer call() {
        StringBuilder path = new StringBuilder("/api/videos?page=" + page + "&size=" + size + "&scope=" + (all ? "all" : "mine"));
        append(path, "q", query);
        append(path, "status", status);
        append(path, "category", category);
        JsonNode list = cli.api().json("GET", path.toString(), null);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(list.toString());
            return ExitCodes.OK;
        }
        out.printf("%-36s  %-10s  %4s  %9s  %8s  %s%n", "ID", "STATUS", "%", "SIZE", "LENGTH", "TITLE");
        for (JsonNode video : list.path("items")) {
            out.printf(Locale.ROOT, "%-36s  %-10s  %4s  %9s  %8s  %s%n", video.path("id").asText(),
                    video.path("status").asText(), video.path("progress").asInt(0),
                    ProgressBar.bytes(video.path("sizeBytes").asLong()),
                    video.hasNonNull("durationSeconds") ? ProgressBar.clock(Math.round(video.get("durationSeconds").asDouble())) : "-",
                    video.path("title").asText(""));
        }
        long total = list.path("total").asLong();
        out.printf("%d of %d video%s%n", list.path("items").size(), total, total == 1 ? "" : "s");
        return ExitCodes.OK;
    }

    private static void append(StringBuilder path, String name, String value) {
        if (value != null && !value.isBlank()) {
            path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
