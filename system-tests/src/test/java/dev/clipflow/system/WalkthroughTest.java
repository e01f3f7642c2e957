package dev.clipflow.system;

import dev.clipflow.testinfra.servers.RepoRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/walkthrough.md works as written: its bash blocks, verbatim and in order, as one script against the stack
 * (bash, curl, jq, openssl, split), with API, MAIL and VIDEO pointing at this stack and a real clip.
 */
@Tag("journey")
@ExtendWith(Stack.class)
class WalkthroughTest {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");

    @Test
    void theWalkthroughsCommandsWork(@TempDir Path dir) throws IOException, InterruptedException {
        String markdown = Files.readString(RepoRoot.find().resolve("docs/walkthrough.md"));
        List<String> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        assertThat(blocks).as("bash blocks in docs/walkthrough.md").hasSizeGreaterThanOrEqualTo(7);
        Path script = dir.resolve("walkthrough.sh");
        Files.writeString(script, "set -euo pipefail\nset -x\n" + String.join("\n", blocks));
        Path video = Media.clip(dir, "holiday.mp4", 640, 360, 4.0);
        Path out = dir.resolve("walkthrough.out");

        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("API", Stack.get().gateway());
        builder.environment().put("MAIL", Stack.get().mailApi());
        builder.environment().put("VIDEO", video.toString());
        builder.environment().put("CHUNK_SIZE", "65536"); // the smallest chunks, so that a short clip takes several
        Process process = builder.start();
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(done).as("the walkthrough finished in time:\n%s", output).isTrue();
        assertThat(process.exitValue()).as("the walkthrough's exit status:\n%s", output).isZero();
        assertThat(output)
                .contains("Clipflow API 3.1")
                .contains("activated: 200")
                .contains("{\"index\":1,")
                .containsPattern("(?m)^READY ")
                .contains("stream: 206 video/mp4")
                .contains("#EXTM3U")
                .contains("shared stream: 206");
    }
}
