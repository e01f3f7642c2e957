package dev.clipflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "login", description = "Log in and keep the tokens for the other commands.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    ClipflowCli cli;
    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--email"}, required = true, description = "The account's e-mail address.")
    String email;

    @Option(names = {"-p", "--password"}, interactive = true, arity = "0..1",
            description = "The password (asked for without echo when given without a value; env CLIPFLOW_PASSWORD).")
    char[] password;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        String secret = password();
        Api api = new Api(cli.serverUrl(cli.home.read(cli.home.credentialsFile(), CliHome.Credentials.class)),
                cli.home, null);
        JsonNode pair = Api.parse(api.sendAnonymous("POST", "/api/auth/login",
                Map.of("email", email, "password", secret)).body());
        cli.home.write(cli.home.credentialsFile(), new CliHome.Credentials(api.server(), email,
                pair.path("accessToken").asText(), pair.path("refreshToken").asText()));
        spec.commandLine().getOut().println("Logged in to " + api.server() + " as " + email + ".");
        return ExitCodes.OK;
    }

    private String password() throws IOException {
        if (passwordStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new CliException(ExitCodes.USAGE, "--password-stdin: standard input is empty.");
            }
            return line;
        }
        if (password != null && password.length > 0) {
            return new String(password);
        }
        String env = System.getenv("CLIPFLOW_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        if (System.console() != null) {
            return new String(System.console().readPassword("Password for %s: ", email));
        }
        throw new CliException(ExitCodes.USAGE, "No password: use --password, --password-stdin or CLIPFLOW_PASSWORD.");
    }
}
