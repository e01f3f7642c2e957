package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Walks a parsed fabric8 object and reports every field the model did not know: fabric8 keeps
 * unknown YAML keys in {@code additionalProperties}, so a typo ({@code readinesProbe}) or a field
 * at the wrong level shows up there instead of failing the parse.
 */
final class ModelWalker {

    private ModelWalker() {
    }

    static List<String> unknownFields(Object object) {
        var found = new ArrayList<String>();
        walk(object, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", found);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith("io.fabric8.") || type.isEnum()) {
            return;
        }
        if (value instanceof GenericKubernetesResource generic) {
            // custom resources carry their whole body there: only the metadata is typed
            walk(generic.getMetadata(), path + ".metadata", found);
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add((path.isEmpty() ? "" : path + ": ") + extra.keySet());
                    }
                    continue;
                }
                walk(fieldValue, path + "." + field.getName(), found);
            }
        }
    }
}
