package dev.clipflow.storage.gcs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Plans a server-side composition of many objects into one under GCS's limit of
 * {@value #MAX_SOURCES} sources per compose call: sources are composed in groups into
 * intermediate objects, level by level, until one call can build the target. Pure logic.
 */
public final class ComposePlan {

    /** GCS's maximum number of source objects of one compose request. */
    public static final int MAX_SOURCES = 32;

    /** One compose call: {@code sources} concatenated in order into {@code target}. */
    public record Step(String target, List<String> sources, boolean intermediate) {
    }

    private ComposePlan() {
    }

    /**
     * The calls, in an order where every source exists before it is used.
     *
     * @param tempKey names the n-th intermediate object
     */
    public static List<Step> plan(List<String> sources, String target, IntFunction<String> tempKey) {
        return plan(sources, target, tempKey, MAX_SOURCES);
    }

    static List<Step> plan(List<String> sources, String target, IntFunction<String> tempKey, int fanIn) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("Nothing to compose");
        }
        if (fanIn < 2) {
            throw new IllegalArgumentException("fan-in below 2");
        }
        List<Step> steps = new ArrayList<>();
        List<String> level = List.copyOf(sources);
        int temps = 0;
        while (level.size() > fanIn) {
            List<String> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += fanIn) {
                List<String> group = level.subList(i, Math.min(i + fanIn, level.size()));
                if (group.size() == 1) {
                    next.add(group.get(0));
                } else {
                    String temp = tempKey.apply(temps++);
                    steps.add(new Step(temp, List.copyOf(group), true));
                    next.add(temp);
                }
            }
            level = next;
        }
        steps.add(new Step(target, level, false));
        return steps;
    }
}
