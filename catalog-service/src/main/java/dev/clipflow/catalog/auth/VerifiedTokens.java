package dev.clipflow.catalog.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.clipflow.catalog.config.CatalogConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Access tokens this replica verified lately, by their exact text: a player sends the same token with every
 * segment, playlist and range, and verifying it (base64, two JSON parses, an RSA signature) cost more than
 * serving a 1 MiB segment with {@code sendfile} (~100 KB of garbage a request). A token is reused for at most
 * {@code clipflow.catalog.token-cache.ttl} and never past its own {@code exp} (verification itself accepts it
 * for the clock skew after that: the cache never accepts a token verification would refuse, except one whose
 * signing key left the JWKS within the TTL, as the JWKS refresh already allows for its interval). Only tokens
 * that verified are kept; a token changed by one character is another key and is verified in full.
 */
@ApplicationScoped
public class VerifiedTokens {

    private final Cache<String, JsonWebToken> tokens;
    private final boolean enabled;
    private final int maxTokenLength;
    private final Clock clock;

    @Inject
    public VerifiedTokens(CatalogConfig config, Clock clock) {
        this(config.tokenCache().ttl().toNanos(), config.tokenCache().maxEntries(),
                config.tokenCache().maxTokenLength(), clock);
    }

    VerifiedTokens(long ttlNanos, long maxEntries, int maxTokenLength, Clock clock) {
        this.clock = clock;
        this.enabled = ttlNanos > 0;
        this.maxTokenLength = maxTokenLength;
        this.tokens = Caffeine.newBuilder()
                .maximumSize(Math.max(0, maxEntries))
                .expireAfter(new Expiry<String, JsonWebToken>() {
                    @Override
                    public long expireAfterCreate(String token, JsonWebToken jwt, long now) {
                        long untilExp = TimeUnit.SECONDS.toNanos(jwt.getExpirationTime()) - now;
                        return Math.max(0, Math.min(ttlNanos, untilExp));
                    }

                    @Override
                    public long expireAfterUpdate(String token, JsonWebToken jwt, long now, long remaining) {
                        return remaining;
                    }

                    @Override
                    public long expireAfterRead(String token, JsonWebToken jwt, long now, long remaining) {
                        return remaining;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) // epoch nanos: comparable to exp
                .build();
    }

    /** The token verified earlier and still within its time here, or null (verify it in full). */
    public JsonWebToken get(String token) {
        return enabled && token.length() <= maxTokenLength ? tokens.getIfPresent(token) : null;
    }

    /** Remembers a token that verified just now (one without {@code exp}, or longer than allowed, is not kept). */
    void verified(String token, JsonWebToken jwt) {
        if (enabled && token.length() <= maxTokenLength && jwt.getExpirationTime() > clock.millis() / 1000) {
            tokens.put(token, jwt);
        }
    }

    long size() {
        tokens.cleanUp();
        return tokens.estimatedSize();
    }
}
