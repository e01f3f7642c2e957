package dev.clipflow.problem.auth;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The settings of {@link VerifiedTokens}, a group of a service's configuration ({@code <prefix>.token-cache.*}). */
public interface TokenCacheSettings {

    /** How long a verified token is reused without verifying it again (never past its exp); 0 verifies every request. */
    @WithDefault("60s")
    Duration ttl();

    /** At most this many tokens are kept (each a few KB: the token and its claims). */
    @WithDefault("10000")
    long maxEntries();

    /** A longer token is verified on every request (bounds the memory of the cache with max-entries). */
    @WithDefault("4096")
    int maxTokenLength();
}
