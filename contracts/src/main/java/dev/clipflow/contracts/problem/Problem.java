package dev.clipflow.contracts.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail as every Clipflow service answers errors
 * ({@code application/problem+json}). {@code code} is the stable, machine-readable identifier
 * clients switch on (e.g. {@code quota.storage_exceeded}); {@code extensions} carries extra
 * members such as the missing chunk indexes of an incomplete upload.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://clipflow.dev/problems/";

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A problem whose {@code type} URI is derived from its code. */
    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(TYPE_BASE + code.replace('.', '/'), title, status, detail, code, null, Map.of());
    }

    /** The same problem with one more extension member. */
    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(type, title, status, detail, code, instance, more);
    }

    /** The same problem naming the request path it answers. */
    public Problem at(String path) {
        return new Problem(type, title, status, detail, code, path, extensions);
    }

    @JsonAnyGetter
    Map<String, Object> any() {
        return extensions;
    }
}
