package dev.clipflow.contracts.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, as every list endpoint answers: {@code ?page=0&size=20} (size capped at
 * {@value #MAX_SIZE}) gives {@code {"items":[...],"page":0,"size":20,"total":N}}.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    public static <T> Page<T> empty(PageRequest request) {
        return new Page<>(List.of(), request.page(), request.size(), 0);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), page, size, total);
    }

    /**
     * Validated paging parameters: page from 0, size from 1 to {@value Page#MAX_SIZE}; a larger
     * size is capped, a negative page, a size below 1 or a page whose first row lies beyond
     * {@link Integer#MAX_VALUE} (the offset would overflow) is the caller's error.
     */
    public record PageRequest(int page, int size) {

        public PageRequest {
            if (page < 0) {
                throw new IllegalArgumentException("page must be 0 or more");
            }
            if (size < 1) {
                throw new IllegalArgumentException("size must be 1 or more");
            }
            size = Math.min(size, MAX_SIZE);
            if ((long) page * size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("page " + page + " of size " + size + " starts beyond the last "
                        + "possible row (page x size must not exceed " + Integer.MAX_VALUE + ")");
            }
        }

        /** From optional query parameters; throws {@link IllegalArgumentException} for values out of range. */
        public static PageRequest of(Integer page, Integer size) {
            return new PageRequest(page == null ? 0 : page, size == null ? DEFAULT_SIZE : size);
        }

        public int offset() {
            return page * size;
        }
    }
}
