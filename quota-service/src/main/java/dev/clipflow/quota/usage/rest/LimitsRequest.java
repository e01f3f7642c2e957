package dev.clipflow.quota.usage.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** The limits an admin sets for a user, in bytes (the bandwidth limit is per monthly period). */
public record LimitsRequest(
        @NotNull @PositiveOrZero @Max(MAX) Long storageLimitBytes,
        @NotNull @PositiveOrZero @Max(MAX) Long bandwidthLimitBytes) {

    /** Keeps percentage arithmetic ({@code bytes * 100}) inside a long. */
    static final long MAX = Long.MAX_VALUE / 100;
}
