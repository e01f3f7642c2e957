package dev.clipflow.catalog.caption;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a caption file in SubRip (SRT) or WebVTT, strictly, and writes it as WebVTT: every cue with its
 * timing normalised to {@code HH:MM:SS.mmm}, SRT's text markup reduced to what WebVTT knows ({@code <i> <b>
 * <u>}), WebVTT's cue identifiers and settings kept, comments, styles and regions left out. A file it cannot
 * read fails with the number of the line that is wrong. Pure: no I/O, so unit tests read it directly.
 * (No SRT/WebVTT library is in the Maven mirror this project builds from; this is the small parser instead.)
 */
public final class CaptionFormat {

    /** How the body is to be read. */
    public enum Kind { SRT, WEBVTT }

    /** A file that is not valid SRT or WebVTT; {@code line} is 1-based. */
    public static final class Invalid extends RuntimeException {

        private final int line;

        Invalid(int line, String message) {
            super("Line " + line + ": " + message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /**
     * The normalised file.
     *
     * @param vtt the WebVTT text
     * @param words the cues' text without markup, for search
     * @param cues how many cues it has
     */
    public record Parsed(String vtt, String words, int cues) {
    }

    private record Cue(String id, long start, long end, String settings, List<String> text) {
    }

    private static final Pattern SRT_TIMING = Pattern.compile(
            "(\\d{1,3}):(\\d{2}):(\\d{2})[,.](\\d{3})\\s*-->\\s*(\\d{1,3}):(\\d{2}):(\\d{2})[,.](\\d{3})"
                    + "(?:\\s+X1:\\d+\\s+X2:\\d+\\s+Y1:\\d+\\s+Y2:\\d+)?\\s*");
    private static final Pattern VTT_TIME = Pattern.compile("(?:(\\d{2,}):)?(\\d{2}):(\\d{2})\\.(\\d{3})");
    private static final Pattern VTT_TIMING = Pattern.compile(
            "(" + VTT_TIME.pattern() + ")[ \\t]+-->[ \\t]+(" + VTT_TIME.pattern() + ")((?:[ \\t]+\\S+)*)[ \\t]*");
    private static final Pattern VTT_SETTING = Pattern.compile("(vertical|line|position|size|align|region):\\S+");
    private static final Pattern SRT_ALLOWED_TAG = Pattern.compile("</?[ibu]>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_TAG = Pattern.compile("<[^<>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt|nbsp|lrm|rlm|#\\d+|#x[0-9a-fA-F]+);");

    private CaptionFormat() {
    }

    /** SRT or WebVTT by the declared type; by the content when the type says neither ({@code text/plain}, none). */
    public static Kind kindOf(String contentType, String text) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return switch (type) {
            case "text/vtt" -> Kind.WEBVTT;
            case "application/x-subrip", "application/srt", "text/srt", "text/x-srt", "text/x-subrip" -> Kind.SRT;
            default -> text.startsWith("WEBVTT") ? Kind.WEBVTT : Kind.SRT;
        };
    }

    /** Whether a request's content type can hold a caption file at all. */
    public static boolean acceptable(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return type.isEmpty() || type.startsWith("text/") || type.equals("application/x-subrip")
                || type.equals("application/srt") || type.equals("application/octet-stream");
    }

    public static Parsed parse(byte[] body, String contentType) {
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        List<Cue> cues = kindOf(contentType, text) == Kind.WEBVTT ? webVtt(text.split("\n", -1)) : srt(text.split("\n", -1));
        if (cues.isEmpty()) {
            throw new Invalid(1, "the file has no cues.");
        }
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        StringBuilder words = new StringBuilder();
        for (Cue cue : cues) {
            vtt.append('\n');
            if (cue.id() != null) {
                vtt.append(cue.id()).append('\n');
            }
            vtt.append(time(cue.start())).append(" --> ").append(time(cue.end())).append(cue.settings()).append('\n');
            for (String line : cue.text()) {
                vtt.append(line).append('\n');
                words.append(plain(line)).append(' ');
            }
        }
        return new Parsed(vtt.toString(), words.toString().strip(), cues.size());
    }

    private static List<Cue> srt(String[] lines) {
        List<Cue> cues = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            if (!lines[i].strip().matches("\\d+")) {
                throw new Invalid(i + 1, "expected the number of a cue, found \"" + excerpt(lines[i]) + "\".");
            }
            i++;
            if (i >= lines.length || lines[i].isBlank()) {
                throw new Invalid(i + 1, "expected a timing like 00:00:01,000 --> 00:00:02,500.");
            }
            Matcher timing = SRT_TIMING.matcher(lines[i]);
            if (!timing.matches()) {
                throw new Invalid(i + 1, "expected a timing like 00:00:01,000 --> 00:00:02,500, found \""
                        + excerpt(lines[i]) + "\".");
            }
            long start = millis(timing.group(1), timing.group(2), timing.group(3), timing.group(4), i + 1);
            long end = millis(timing.group(5), timing.group(6), timing.group(7), timing.group(8), i + 1);
            checkOrder(start, end, i + 1);
            i++;
            List<String> text = new ArrayList<>();
            while (i < lines.length && !lines[i].isBlank()) {
                text.add(srtText(lines[i]));
                i++;
            }
            if (text.isEmpty()) {
                throw new Invalid(i + 1, "the cue has no text.");
            }
            cues.add(new Cue(null, start, end, "", text));
        }
        return cues;
    }

    private static List<Cue> webVtt(String[] lines) {
        String first = lines[0];
        if (!first.equals("WEBVTT") && !first.startsWith("WEBVTT ") && !first.startsWith("WEBVTT\t")) {
            throw new Invalid(1, "a WebVTT file starts with the line WEBVTT.");
        }
        int i = 1;
        while (i < lines.length && !lines[i].isEmpty()) { // header lines
            if (lines[i].contains("-->")) {
                throw new Invalid(i + 1, "a blank line must separate the WEBVTT header from the first cue.");
            }
            i++;
        }
        List<Cue> cues = new ArrayList<>();
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            String line = lines[i];
            if (line.equals("NOTE") || line.startsWith("NOTE ") || line.startsWith("NOTE\t")
                    || ((line.equals("STYLE") || line.equals("REGION")) && cues.isEmpty())) {
                while (i < lines.length && !lines[i].isBlank()) {
                    i++;
                }
                continue;
            }
            String id = null;
            if (!line.contains("-->")) {
                id = line.strip();
                i++;
                if (i >= lines.length || lines[i].isBlank()) {
                    throw new Invalid(i + 1, "expected a timing like 00:00:01.000 --> 00:00:02.500 after the cue "
                            + "identifier \"" + excerpt(id) + "\".");
                }
            }
            Matcher timing = VTT_TIMING.matcher(lines[i]);
            if (!timing.matches()) {
                throw new Invalid(i + 1, "expected a timing like 00:00:01.000 --> 00:00:02.500, found \""
                        + excerpt(lines[i]) + "\".");
            }
            long start = vttMillis(timing.group(1), i + 1);
            long end = vttMillis(timing.group(6), i + 1);
            checkOrder(start, end, i + 1);
            StringBuilder settings = new StringBuilder();
            for (String setting : timing.group(11).strip().split("[ \\t]+")) {
                if (setting.isEmpty()) {
                    continue;
                }
                if (!VTT_SETTING.matcher(setting).matches()) {
                    throw new Invalid(i + 1, "unknown cue setting \"" + excerpt(setting) + "\".");
                }
                settings.append(' ').append(setting);
            }
            i++;
            List<String> text = new ArrayList<>();
            while (i < lines.length && !lines[i].isBlank()) {
                if (lines[i].contains("-->")) {
                    throw new Invalid(i + 1, "cue text must not contain \"-->\" (a blank line is missing before "
                            + "the next cue?).");
                }
                text.add(lines[i]);
                i++;
            }
            cues.add(new Cue(id, start, end, settings.toString(), text));
        }
        return cues;
    }

    /** SRT text as WebVTT text: {@code <i> <b> <u>} kept, other markup ({@code <font>}, ...) dropped, {@code & <} escaped. */
    private static String srtText(String line) {
        StringBuilder out = new StringBuilder();
        Matcher tag = ANY_TAG.matcher(line);
        int at = 0;
        while (tag.find()) {
            out.append(escape(line.substring(at, tag.start())));
            if (SRT_ALLOWED_TAG.matcher(tag.group()).matches()) {
                out.append(tag.group().toLowerCase(Locale.ROOT));
            }
            at = tag.end();
        }
        out.append(escape(line.substring(at)));
        return out.toString().replace("-->", "--&gt;");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '&' && !ENTITY.matcher(text).region(i, text.length()).lookingAt()) {
                out.append("&amp;");
            } else if (c == '<') {
                out.append("&lt;");
            } else if (c == '>') {
                out.append("&gt;");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String plain(String vttLine) {
        return ANY_TAG.matcher(vttLine).replaceAll("").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }

    private static void checkOrder(long start, long end, int line) {
        if (end < start) {
            throw new Invalid(line, "the cue ends before it starts.");
        }
    }

    private static long vttMillis(String time, int line) {
        Matcher m = VTT_TIME.matcher(time);
        if (!m.matches()) {
            throw new Invalid(line, "invalid time \"" + time + "\".");
        }
        return millis(m.group(1) == null ? "0" : m.group(1), m.group(2), m.group(3), m.group(4), line);
    }

    private static long millis(String h, String m, String s, String ms, int line) {
        int minutes = Integer.parseInt(m);
        int seconds = Integer.parseInt(s);
        if (minutes > 59 || seconds > 59) {
            throw new Invalid(line, "minutes and seconds go up to 59.");
        }
        if (h.length() > 5) {
            throw new Invalid(line, "the time is too large.");
        }
        return ((Long.parseLong(h) * 60 + minutes) * 60 + seconds) * 1000 + Integer.parseInt(ms);
    }

    static String time(long millis) {
        long h = millis / 3_600_000;
        long m = millis / 60_000 % 60;
        long s = millis / 1000 % 60;
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", h, m, s, millis % 1000);
    }

    private static String excerpt(String line) {
        String stripped = line.strip();
        return stripped.length() > 60 ? stripped.substring(0, 60) + "…" : stripped;
    }

    /** Strict UTF-8: the first byte that is not names its line. */
    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (body[i] == '\n') {
                    line++;
                }
            }
            throw new Invalid(line, "the file is not UTF-8 text.");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
