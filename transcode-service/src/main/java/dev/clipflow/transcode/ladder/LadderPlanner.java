package dev.clipflow.transcode.ladder;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the HLS ladder of a source: every configured rung whose size does not exceed the source
 * (never upscaled), at least one rung (a source smaller than the lowest rung gets one at its own
 * size), even dimensions, the display aspect ratio kept. Sizes are measured on the short edge, so
 * a portrait phone video (1080x1920) gets the same 480p/720p/1080p rungs as a landscape one.
 * Pure: the dimensions given are the displayed ones (rotation already applied).
 */
public final class LadderPlanner {

    private final List<RungSpec> specs;

    public LadderPlanner(List<RungSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("The ladder needs at least one rung");
        }
        this.specs = List.copyOf(specs);
    }

    /** The rungs for a source displayed at {@code width} x {@code height}, smallest first. */
    public List<Rung> plan(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Source dimensions must be positive: " + width + "x" + height);
        }
        int shortEdge = Math.min(width, height);
        List<Rung> rungs = new ArrayList<>();
        for (RungSpec spec : specs) {
            if (spec.size() <= shortEdge) {
                rungs.add(rung(width, height, spec.size(), spec.videoKbps()));
            }
        }
        if (rungs.isEmpty()) {
            RungSpec lowest = specs.get(0);
            int size = floorEven(shortEdge);
            int kbps = (int) Math.max(100, Math.round(lowest.videoKbps() * (double) size * size
                    / ((double) lowest.size() * lowest.size())));
            rungs.add(rung(width, height, size, kbps));
        }
        return List.copyOf(rungs);
    }

    private static Rung rung(int width, int height, int requested, int kbps) {
        int shortEdge = Math.min(width, height);
        int sourceLong = Math.max(width, height);
        int size = Math.min(floorEven(requested), floorEven(shortEdge));
        int longEdge = Math.min(even((double) sourceLong * size / shortEdge), floorEven(sourceLong));
        boolean landscape = width >= height;
        return new Rung(size + "p", landscape ? longEdge : size, landscape ? size : longEdge, kbps);
    }

    private static int floorEven(int value) {
        return Math.max(2, value - value % 2);
    }

    private static int even(double value) {
        return Math.max(2, (int) Math.round(value / 2.0) * 2);
    }
}
