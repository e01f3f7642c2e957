package dev.clipflow.apidocs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/problems.md lists every problem {@code code} the services' code can answer. */
class ProblemCatalogueTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** Lines that make a problem: Problem.of, new ProblemException, ProblemException.badRequest/conflict/..., fail(...). */
    static final Pattern PROBLEM_LINE = Pattern.compile("Problem|badRequest\\(|conflict\\(|forbidden\\(|fail\\(");
    static final Pattern CODE = Pattern.compile("\"((?:admin|auth|category|edit|gateway|http|job|quota|request|share|tus|upload|user|video|webhook)\\.[a-z_0-9]+)\"");
    /** A code given right after the status, whatever its prefix: {@code Problem.of(404, "not_found", ...)}, {@code new ProblemException(404, "not_found", ...)}. */
    static final Pattern CODE_AFTER_STATUS = Pattern.compile("(?:Problem\\.of|new ProblemException)\\(\\s*\\d{3},\\s*\"([a-z_.0-9]+)\"");

    @Test
    void everyCodeIsInTheCatalogue() throws IOException {
        String catalogue = Files.readString(ROOT.resolve("docs/problems.md"));
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!PROBLEM_LINE.matcher(line).find()) {
                        continue;
                    }
                    for (Pattern pattern : java.util.List.of(CODE, CODE_AFTER_STATUS)) {
                        Matcher m = pattern.matcher(line);
                        while (m.find()) {
                            codes.add(m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(codes).as("codes found in the sources").contains("quota.storage_exceeded", "request.malformed_uri", "not_found", "internal");
        assertThat(codes.stream().filter(code -> !catalogue.contains("`" + code + "`")).toList())
                .as("codes missing from docs/problems.md").isEmpty();
    }
}
