package dev.clipflow.system;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;

import java.util.Comparator;

/**
 * Runs the classes tagged {@code fault} after the others, in name order: they kill processes of
 * the one shared stack and bring them back with {@code ./clipflow up}; should a recovery fail, only
 * the fault tests after it are affected, not the journeys. (No test depends on another's data.)
 */
public class FaultTestsLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor c) -> c.findRepeatableAnnotations(Tag.class).stream()
                        .anyMatch(tag -> tag.value().equals("fault")))
                .thenComparing(c -> c.getTestClass().getName()));
    }
}
