package dev.clipflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "logout", description = "Revoke the session on the server and forget the tokens.")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliHome.Credentials credentials = cli.home.read(cli.home.credentialsFile(), CliHome.Credentials.class);
        if (credentials != null && credentials.refreshToken() != null) {
            try {
                new Api(credentials.server(), cli.home, null)
                        .sendAnonymous("POST", "/api/auth/logout", Map.of("refreshToken", credentials.refreshToken()));
            } catch (CliException e) {
                spec.commandLine().getErr().println("clipflow-cli: the server did not revoke the session: " + e.getMessage());
            }
        }
        cli.home.delete(cli.home.credentialsFile());
        spec.commandLine().getOut().println("Logged out.");
        return ExitCodes.OK;
    }
}
