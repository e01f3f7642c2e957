package dev.clipflow.catalog.media;

/**
 * What a {@code Range} request header asks of a representation of a known length (RFC 9110 §14).
 * Single byte ranges are served as 206; a header that is absent, malformed, in another unit or asks
 * for several ranges is ignored (the whole representation, 200), as the RFC allows; a range that
 * starts beyond the end (or an empty suffix) is unsatisfiable (416).
 */
public sealed interface ByteRange {

    /** Serve everything (200). */
    record Full() implements ByteRange {
    }

    /** Serve bytes {@code start..end} inclusive (206). */
    record Partial(long start, long end) implements ByteRange {

        public long length() {
            return end - start + 1;
        }
    }

    /** Nothing can be served (416 with {@code Content-Range: bytes * /length}). */
    record Unsatisfiable() implements ByteRange {
    }

    Full FULL = new Full();
    Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    static ByteRange parse(String header, long length) {
        if (header == null) {
            return FULL;
        }
        String value = header.strip();
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return FULL;
        }
        String set = value.substring(eq + 1).strip();
        if (set.isEmpty() || set.contains(",")) {
            return FULL;
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        String first = set.substring(0, dash).strip();
        String last = set.substring(dash + 1).strip();
        if (first.isEmpty()) {
            long suffix = number(last);
            if (suffix < 0) {
                return FULL;
            }
            if (suffix == 0 || length == 0) {
                return UNSATISFIABLE;
            }
            return new Partial(Math.max(0, length - suffix), length - 1);
        }
        long start = number(first);
        if (start < 0) {
            return FULL;
        }
        long end;
        if (last.isEmpty()) {
            end = Long.MAX_VALUE;
        } else {
            end = number(last);
            if (end < 0 || end < start) {
                return FULL;
            }
        }
        if (start >= length) {
            return UNSATISFIABLE;
        }
        return new Partial(start, Math.min(end, length - 1));
    }

    /** A non-negative decimal (saturating at Long.MAX_VALUE), or -1 when the text is not one. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
                value = Long.MAX_VALUE;
            } else {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }
}
