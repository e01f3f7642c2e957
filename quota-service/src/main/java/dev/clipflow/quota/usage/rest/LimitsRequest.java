package dev.clipflow.quota.usage.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The limits an admin sets for a user, in bytes (the bandwidth limit is per monthly period). The user's own
 * {@code GET} representation is accepted too (get, modify, put): {@code userId} must be the path's, and the usage
 * figures ({@code storage}, {@code bandwidth}, {@code deletions}, {@code files}) are measurements that move on
 * their own, so they are ignored.
 */
@JsonIgnoreProperties({"storage", "bandwidth", "deletions", "files"})
public record LimitsRequest(
        @NotNull @PositiveOrZero @Max(MAX) Long storageLimitBytes,
        @NotNull @PositiveOrZero @Max(MAX) Long bandwidthLimitBytes,
        String userId) {

    /** Keeps percentage arithmetic ({@code bytes * 100}) inside a long. */
    static final long MAX = Long.MAX_VALUE / 100;
}
