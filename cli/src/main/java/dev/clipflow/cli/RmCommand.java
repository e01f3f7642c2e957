package dev.clipflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rm", description = "Delete videos (their files, renditions and share links go with them).")
final class RmCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "The videos' ids.")
    List<String> ids;

    @Override
    public Integer call() {
        Api api = cli.api();
        int exit = ExitCodes.OK;
        for (String id : ids) {
            try {
                api.json("DELETE", "/api/videos/" + id, null);
                spec.commandLine().getOut().println("deleted " + id);
            } catch (CliException e) {
                spec.commandLine().getErr().println("clipflow-cli: " + id + ": " + e.getMessage());
                exit = exit == ExitCodes.OK ? e.exitCode() : exit;
            }
        }
        return exit;
    }
}
