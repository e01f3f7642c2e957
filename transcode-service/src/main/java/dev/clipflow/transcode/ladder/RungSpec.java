package dev.clipflow.transcode.ladder;

import java.util.Comparator;
import java.util.List;

/**
 * A configured rung: the short edge in pixels and its video bitrate cap.
 *
 * @param size 480 for 480p (the height of a landscape video, the width of a portrait one)
 */
public record RungSpec(int size, int videoKbps) {

    public RungSpec {
        if (size < 2 || videoKbps < 1) {
            throw new IllegalArgumentException("A rung needs a size of 2 or more and a positive bitrate");
        }
    }

    /** Parses {@code 480:1400}; the list is returned sorted by size. */
    public static List<RungSpec> parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("The ladder needs at least one rung");
        }
        return entries.stream().map(String::trim).map(RungSpec::parseOne)
                .sorted(Comparator.comparingInt(RungSpec::size)).toList();
    }

    private static RungSpec parseOne(String entry) {
        String[] parts = entry.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Ladder rung '" + entry + "' is not <height>:<kbit/s>");
        }
        try {
            return new RungSpec(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Ladder rung '" + entry + "' is not <height>:<kbit/s>", e);
        }
    }
}
