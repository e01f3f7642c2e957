package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

@Command(name = "download", description = {"Download a video's MP4 (an interrupted download resumes).",
        "An interrupted download continues from FILE.part with a Range request when run again."})
final class DownloadCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The video's id.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (default: the video's file name).")
    Path output;

    @Option(names = "--progress", negatable = true, description = "Draw the progress bar (default: only on a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        Api api = cli.api();
        Path target = output;
        if (target == null) {
            JsonNode video = api.json("GET", "/api/videos/" + id, null);
            String name = Path.of(video.path("fileName").asText(id + ".mp4")).getFileName().toString();
            target = Path.of(name.contains(".") ? name.substring(0, name.lastIndexOf('.')) + ".mp4" : name + ".mp4");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpResponse<InputStream> response = api.send(b -> {
            b.GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            return b;
        }, HttpResponse.BodyHandlers.ofInputStream(), "/api/videos/" + id + "/download");
        boolean append = response.statusCode() == 206;
        long total = response.headers().firstValueAsLong("Content-Length").orElse(0) + (append ? have : 0);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(),
                progress != null ? progress : System.console() != null, total);
        bar.label(target.getFileName().toString());
        if (append) {
            bar.alreadyThere(have);
        }
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                bar.advance(n);
            }
        }
        bar.finish();
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().println(target);
        return ExitCodes.OK;
    }
}
