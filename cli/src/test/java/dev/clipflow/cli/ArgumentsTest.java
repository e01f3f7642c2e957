package dev.clipflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of the client: durations, sizes, the progress line, exit codes without a server. */
class ArgumentsTest {

    @Test
    void durationsOfShareLinks() {
        assertThat(ShareCommand.seconds("90s")).isEqualTo(90);
        assertThat(ShareCommand.seconds("30m")).isEqualTo(1800);
        assertThat(ShareCommand.seconds("1h")).isEqualTo(3600);
        assertThat(ShareCommand.seconds("7d")).isEqualTo(604800);
        assertThat(ShareCommand.seconds("PT2H")).isEqualTo(7200);
        assertThat(ShareCommand.seconds("45")).isEqualTo(45);
        assertThatThrownBy(() -> ShareCommand.seconds("soon")).isInstanceOf(CliException.class)
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void sizes() {
        assertThat(RateLimit.parse("500k")).isEqualTo(512_000);
        assertThat(RateLimit.parse("8M")).isEqualTo(8L << 20);
        assertThat(RateLimit.parse("1g")).isEqualTo(1L << 30);
        assertThat(RateLimit.parse("4096")).isEqualTo(4096);
    }

    @Test
    void progressLineShowsPercentRateAndEta() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), false, 10L << 20);
        bar.label("clip.mp4");
        bar.alreadyThere(2L << 20);
        bar.advance(3L << 20);
        String line = bar.line(System.nanoTime());
        assertThat(line).startsWith("clip.mp4 [############------------]  50%  5.0 MiB / 10.0 MiB")
                .contains("/s").containsPattern("ETA \\d+:\\d\\d");
    }

    @Test
    void exitCodesFollowTheStatus() {
        assertThat(ExitCodes.ofStatus(401)).isEqualTo(3);
        assertThat(ExitCodes.ofStatus(404)).isEqualTo(4);
        assertThat(ExitCodes.ofStatus(410)).isEqualTo(4);
        assertThat(ExitCodes.ofStatus(403)).isEqualTo(5);
        assertThat(ExitCodes.ofStatus(409)).isEqualTo(6);
        assertThat(ExitCodes.ofStatus(503)).isEqualTo(7);
    }

    @Test
    void withoutLoginTheClientSaysSoAndExitsThree(@TempDir Path home) {
        StringWriter err = new StringWriter();
        int exit = ClipflowCli.run(new CliHome(home), new PrintWriter(new StringWriter()), new PrintWriter(err, true), "ls");
        assertThat(exit).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
        assertThat(err.toString()).contains("Not logged in");
    }

    @Test
    void anUnreachableServerExitsSeven(@TempDir Path home) {
        StringWriter err = new StringWriter();
        int exit = ClipflowCli.run(new CliHome(home), new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "--server", "http://127.0.0.1:1", "login", "--email", "a@b.c", "--password", "x");
        assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).contains("Cannot reach http://127.0.0.1:1");
    }

    @Test
    void unknownCommandIsUsage(@TempDir Path home) {
        int exit = ClipflowCli.run(new CliHome(home), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), "fly");
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
    }
}
