package dev.clipflow.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository is self-contained: every relative link of every Markdown file under version control
 * points at a file or folder inside the checkout (never outside it, e.g. {@code ../shared/...}), and a
 * {@code #fragment} into a Markdown file names one of its headings.
 */
class MarkdownLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("clipflow.root", "..")).toAbsolutePath().normalize();

    /** {@code [text](target)} and {@code [text](target "title")}; images too. Code spans are removed first. */
    private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*(```|~~~).*?^\\s*\\1\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws Exception {
        List<String> broken = new ArrayList<>();
        List<String> files = markdownFiles();
        assertThat(files).contains("README.md", "docs/api.md");
        for (String file : files) {
            Path source = ROOT.resolve(file);
            for (String target : links(Files.readString(source))) {
                String problem = check(source, target);
                if (problem != null) {
                    broken.add(file + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(broken).as("links that do not resolve inside the repository").isEmpty();
    }

    @Test
    void theCheckSeesLinksThatLeaveTheRepository() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assertThat(check(readme, "../shared/contract.md")).contains("outside");
        assertThat(check(readme, "docs/no-such-page.md")).contains("no such file");
        assertThat(check(readme, "docs/api.md#no-such-heading")).contains("no heading");
        assertThat(check(readme, "docs/api.md#kafka-events")).isNull();
        assertThat(links("see `[x](../outside.md)` and [y](docs/api.md \"API\")")).containsExactly("docs/api.md");
    }

    static List<String> links(String markdown) {
        String text = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /** Null when {@code target}, linked from {@code source}, resolves inside the repository. */
    static String check(Path source, String target) throws IOException {
        if (target.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: ... (absolute URLs are not this test's business)
        }
        String path = target;
        String fragment = null;
        int hash = target.indexOf('#');
        if (hash >= 0) {
            path = target.substring(0, hash);
            fragment = target.substring(hash + 1);
        }
        if (path.startsWith("/")) {
            return "absolute path: links must be relative to the file";
        }
        Path resolved = path.isEmpty() ? source
                : source.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file or folder";
        }
        if (fragment != null && !fragment.isEmpty() && resolved.toString().endsWith(".md")
                && !headingAnchors(Files.readString(resolved)).contains(fragment.toLowerCase(Locale.ROOT))) {
            return "no heading #" + fragment + " in " + ROOT.relativize(resolved);
        }
        return null;
    }

    /** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 ... for repeats. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        String text = FENCE.matcher(markdown).replaceAll("");
        Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$").matcher(text);
        while (m.find()) {
            String slug = m.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1")
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            String anchor = slug;
            for (int i = 1; !anchors.add(anchor); i++) {
                anchor = slug + "-" + i;
            }
        }
        return anchors;
    }

    private static List<String> markdownFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md")
                .directory(ROOT.toFile()).start();
        List<String> files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(f -> !f.contains("node_modules/")).toList();
        assertThat(git.waitFor()).isZero();
        return files;
    }
}
