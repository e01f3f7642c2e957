package dev.clipflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code clipflow-cli}: the platform from a terminal or a script, through the gateway's public API. */
@Command(name = "clipflow-cli", mixinStandardHelpOptions = true, version = "clipflow-cli 0.1.0",
        description = "Upload, watch, share and manage videos on a Clipflow server.",
        subcommands = {LoginCommand.class, LogoutCommand.class, UploadCommand.class, LsCommand.class,
                WatchCommand.class, ShareCommand.class, DownloadCommand.class, RmCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:local failure (a file cannot be read or written, an unexpected answer)",
                "2:wrong usage",
                "3:not logged in, or the session expired (401)",
                "4:not found or gone (404, 410)",
                "5:not allowed or over quota (403)",
                "6:the request was refused (any other 4xx, e.g. 409 duplicate file name)",
                "7:the server cannot be reached or failed (5xx)",
                "8:the video's processing FAILED"})
public final class ClipflowCli {

    @Option(names = {"-s", "--server"}, paramLabel = "URL", scope = CommandLine.ScopeType.INHERIT,
            description = "Base URL of the gateway (env CLIPFLOW_SERVER; default: the server of the last login, "
                    + "else http://localhost:8080).")
    String server;

    final CliHome home;

    ClipflowCli(CliHome home) {
        this.home = home;
    }

    public static void main(String[] args) {
        System.exit(run(CliHome.fromEnvironment(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                args));
    }

    static int run(CliHome home, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ClipflowCli(home));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("clipflow-cli: " + failure.getMessage());
                return failure.exitCode();
            }
            commandLine.getErr().println("clipflow-cli: unexpected failure: " + e);
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    /** The server to talk to: --server, CLIPFLOW_SERVER, the last login's, or the local default. */
    String serverUrl(CliHome.Credentials credentials) {
        if (server != null && !server.isBlank()) {
            return server;
        }
        String env = System.getenv("CLIPFLOW_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return credentials != null && credentials.server() != null ? credentials.server() : "http://localhost:8080";
    }

    /** The API with the saved tokens (a login to another server than the one asked for does not count). */
    Api api() {
        CliHome.Credentials credentials = home.read(home.credentialsFile(), CliHome.Credentials.class);
        String url = serverUrl(credentials);
        if (credentials != null && !sameServer(url, credentials.server())) {
            credentials = null;
        }
        return new Api(url, home, credentials);
    }

    private static boolean sameServer(String a, String b) {
        return b != null && strip(a).equals(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
