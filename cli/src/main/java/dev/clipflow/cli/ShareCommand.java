package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "share", description = "Make a link that plays the video without an account until it expires.")
final class ShareCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The video's id.")
    String id;

    @Option(names = "--expires", defaultValue = "1d", paramLabel = "DURATION",
            description = "Lifetime of the link: 90s, 30m, 1h, 7d or ISO-8601 (PT1H) (${DEFAULT-VALUE}).")
    String expires;

    @Option(names = "--json", description = "Print {url, token, expiresAt, pageUrl} as JSON (url: the API's, absolute; pageUrl: the console's player page).")
    boolean json;

    @Override
    public Integer call() {
        Api api = cli.api();
        JsonNode link = api.json("POST", "/api/videos/" + id + "/share", Map.of("expiresInSeconds", seconds(expires)));
        String url = api.url(link.path("url").asText());
        // the web console's page for the link (served at / of the same gateway): plays in any browser
        String page = api.server() + "/#/s/" + link.path("token").asText();
        if (json) {
            ((ObjectNode) link).put("url", url).put("pageUrl", page);
            spec.commandLine().getOut().println(link.toString());
        } else {
            spec.commandLine().getOut().println(url);
            spec.commandLine().getErr().println("expires " + link.path("expiresAt").asText() + "; in a browser: " + page);
        }
        return ExitCodes.OK;
    }

    static long seconds(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT)).toSeconds();
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> n;
                case 'm' -> n * 60;
                case 'h' -> n * 3600;
                case 'd' -> n * 86400;
                default -> Long.parseLong(v);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new CliException(ExitCodes.USAGE, "Not a duration: " + value + " (e.g. 90s, 30m, 1h, 7d, PT1H)");
        }
    }
}
