package dev.clipflow.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one consumer path (issue #17): every {@code @Incoming} method of every module takes the raw
 * {@code ConsumerRecord<String, byte[]>} and hands it straight to {@code EventIntake.consume} (schema check,
 * dead letter for poison, retry for outages), so a new consumer cannot parse, skip or dead-letter events its
 * own way. A scan of the sources, so it covers modules this one does not depend on (a new service too).
 */
class ConsumerPathTest {

    private static final Path ROOT = Path.of(System.getProperty("clipflow.root", "..")).toAbsolutePath().normalize();
    private static final Pattern INCOMING = Pattern.compile("(?m)^\\s*@Incoming\\(");
    private static final Pattern INTAKE_FIELD = Pattern.compile("\\bEventIntake\\s+(\\w+)\\s*;");

    @Test
    void everyIncomingMethodGoesThroughEventIntake() throws IOException {
        List<String> consumers = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String source = Files.readString(file);
            String where = ROOT.relativize(file).toString();
            for (String method : incomingMethods(source)) {
                consumers.add(where);
                violations.addAll(problems(where, source, method));
            }
        }
        // the services' consumers today (auth 2, catalog 6, notify 8, quota 6, transcode 4, upload 2): a scan
        // that finds none would pass whatever the code does
        assertThat(consumers).hasSizeGreaterThanOrEqualTo(28);
        assertThat(violations).isEmpty();
    }

    @Test
    void aConsumerThatReadsTheRecordItselfIsFound() {
        String bypass = """
                class Sneaky {
                    private final EventIntake intake;
                    @Incoming(Channels.VIDEO_DELETED)
                    @Blocking
                    public void onDeleted(ConsumerRecord<String, byte[]> record) {
                        store.delete(new String(record.value()));
                    }
                    @Incoming(Channels.USER_DELETED)
                    public void onUser(String json) {
                        intake.consume(null, UserDeleted.class, e -> { });
                    }
                    @Incoming(Channels.VIDEO_FAILED)
                    public void onFailed(ConsumerRecord<String, byte[]> record) {
                        log(record);
                        intake.consume(record, VideoFailed.class, e -> { });
                    }
                }
                """;
        List<String> problems = new ArrayList<>();
        for (String method : incomingMethods(bypass)) {
            problems.addAll(problems("Sneaky.java", bypass, method));
        }
        assertThat(problems).hasSize(3);
        String noIntake = """
                class Plain {
                    @Incoming("x")
                    public void on(ConsumerRecord<String, byte[]> record) {
                        other.consume(record, X.class, e -> { });
                    }
                }
                """;
        assertThat(problems("Plain.java", noIntake, incomingMethods(noIntake).get(0))).hasSize(1);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> ROOT.relativize(p).toString().matches("[^/]+/src/main/java/.*"))
                    .sorted().toList();
        }
    }

    /** Each {@code @Incoming} method: from the annotation to the closing brace of its body. */
    private static List<String> incomingMethods(String source) {
        List<String> methods = new ArrayList<>();
        Matcher m = INCOMING.matcher(source);
        while (m.find()) {
            int open = source.indexOf('{', m.end());
            int depth = 0;
            int i = open;
            for (; i < source.length(); i++) {
                char c = source.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            methods.add(source.substring(m.start(), Math.min(i + 1, source.length())).strip());
        }
        return methods;
    }

    /** What is wrong with one {@code @Incoming} method: its parameter, or a body that is not one intake call. */
    private static List<String> problems(String where, String source, String method) {
        String signature = method.substring(0, method.indexOf('{'));
        String name = signature.replaceAll("(?s).*\\s(\\w+)\\s*\\(.*", "$1");
        String body = method.substring(method.indexOf('{') + 1, method.length() - 1).strip();
        Matcher field = INTAKE_FIELD.matcher(source);
        List<String> problems = new ArrayList<>();
        if (!signature.contains("ConsumerRecord<String, byte[]>")) {
            problems.add(where + " " + name + ": takes something other than ConsumerRecord<String, byte[]>");
        } else if (!field.find()) {
            problems.add(where + " " + name + ": the class has no EventIntake field");
        } else if (!body.startsWith(field.group(1) + ".consume(record,")) {
            problems.add(where + " " + name + ": does not hand the record straight to "
                    + field.group(1) + ".consume(record, ...)");
        }
        return problems;
    }
}
