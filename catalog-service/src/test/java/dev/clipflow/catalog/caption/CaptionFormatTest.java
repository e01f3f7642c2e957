package dev.clipflow.catalog.caption;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptionFormatTest {

    private static CaptionFormat.Parsed parse(String text, String type) {
        return CaptionFormat.parse(text.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void srtBecomesWebVttWithItsMarkupReduced() {
        String srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<font color=\"red\">Hello</font> <i>world</i> & co\r\n"
                + "\r\n2\r\n00:00:03,000 --> 01:02:03,004\r\nTwo\r\nlines\r\n";
        CaptionFormat.Parsed parsed = parse(srt, "application/x-subrip");
        assertThat(parsed.vtt()).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello <i>world</i> &amp; co\n\n"
                + "00:00:03.000 --> 01:02:03.004\nTwo\nlines\n");
        assertThat(parsed.words()).isEqualTo("Hello world & co Two lines");
        assertThat(parsed.cues()).isEqualTo(2);
    }

    @Test
    void webVttIsRecognisedByItsContentAndKeepsIdsAndSettingsButNotNotes() {
        String vtt = "WEBVTT - a title\nKind: captions\n\nNOTE a comment\nspanning lines\n\nintro\n01:02.500 --> 01:03.000 "
                + "align:start line:0\n<v Bob>Hi &amp; bye</v>\n";
        CaptionFormat.Parsed parsed = parse(vtt, "text/plain");
        assertThat(parsed.vtt()).isEqualTo("WEBVTT\n\nintro\n00:01:02.500 --> 00:01:03.000 align:start line:0\n"
                + "<v Bob>Hi &amp; bye</v>\n");
        assertThat(parsed.words()).isEqualTo("Hi & bye");
    }

    @Test
    void aBadFileNamesTheLineThatIsWrong() {
        assertLine("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03 --> 00:00:04,000\nbad\n", null, 6);
        assertLine("1\n00:00:05,000 --> 00:00:04,000\nbackwards\n", null, 2);
        assertLine("1\n00:00:01,000 --> 00:00:02,000\nok\n\nnot a number\n", null, 5);
        assertLine("1\n00:00:01,000 --> 00:00:02,000\n", "application/x-subrip", 3);
        assertLine("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n00:00:02.000 --> 00:00:03.000\n", "text/vtt", 5);
        assertLine("WEBVTT\n\n00:01.000 --> 00:02.000 bogus:1\nx\n", "text/vtt", 3);
        assertLine("1\n00:00:01,000 --> 00:00:02,000\nok\n", "text/vtt", 1);
        assertLine("", null, 1);
        byte[] latin1 = "1\n00:00:01,000 --> 00:00:02,000\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CaptionFormat.parse(latin1, null)).isInstanceOfSatisfying(CaptionFormat.Invalid.class,
                e -> assertThat(e.line()).isEqualTo(3));
    }

    private static void assertLine(String text, String type, int line) {
        assertThatThrownBy(() -> parse(text, type)).isInstanceOfSatisfying(CaptionFormat.Invalid.class,
                e -> assertThat(e.line()).as(e.getMessage()).isEqualTo(line));
    }

    @Test
    void languageTagsAreCheckedAndCanonical() {
        assertThat(CaptionService.language("pt-br")).isEqualTo("pt-BR");
        assertThat(CaptionService.language("zh-Hant")).isEqualTo("zh-Hant");
        assertThat(CaptionService.language("fil")).isEqualTo("fil");
        assertThat(CaptionService.name("pt-BR")).isEqualTo("Portuguese (Brazil)");
        for (String bad : new String[] {"en_US", "e", "english-language", "en-x", "", "en--us", "xq", "und", "123"}) {
            assertThatThrownBy(() -> CaptionService.language(bad)).as(bad)
                    .isInstanceOf(dev.clipflow.contracts.problem.ProblemException.class);
        }
    }
}
