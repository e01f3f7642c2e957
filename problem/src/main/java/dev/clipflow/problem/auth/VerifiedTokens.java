package dev.clipflow.problem.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Access tokens this replica verified lately, by their exact text: a player sends the same token with every
 * segment, playlist and range, a tus client with every PATCH, and verifying it (base64, two JSON parses, an RSA
 * signature, on a worker thread: ~2.5 ms a request in upload-service) cost more than serving a 1 MiB segment with
 * {@code sendfile} (~100 KB of garbage a request). A token is reused for at most the service's
 * {@code token-cache.ttl} and never past its own {@code exp} (verification itself accepts it
 * for the clock skew after that: the cache never accepts a token verification would refuse, except one whose
 * signing key left the JWKS within the TTL, as the JWKS refresh already allows for its interval). Only tokens
 * that verified are kept; a token changed by one character is another key and is verified in full.
 */
public class VerifiedTokens {

    private final Cache<String, JsonWebToken> tokens;
    private final boolean enabled;
    private final int maxTokenLength;
    private final Clock clock;

    /**
     * Not a bean of its own (this module is in every service): a service that uses it produces it from its
     * configuration ({@link TokenCacheSettings}) and has an identity provider ({@link VerifiedTokenIdentityProvider})
     * and a decorator of smallrye-jwt's parser
     * that calls {@link #verified}.
     */
    public VerifiedTokens(TokenCacheSettings settings, Clock clock) {
        this(settings.ttl().toNanos(), settings.maxEntries(), settings.maxTokenLength(), clock);
    }

    public VerifiedTokens(long ttlNanos, long maxEntries, int maxTokenLength, Clock clock) {
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
    public void verified(String token, JsonWebToken jwt) {
        if (enabled && token.length() <= maxTokenLength && jwt.getExpirationTime() > clock.millis() / 1000) {
            tokens.put(token, jwt);
        }
    }

    public long size() {
        tokens.cleanUp();
        return tokens.estimatedSize();
    }

    /**
     * The identity smallrye-jwt's validator builds for a verified token (principal, token credential, {@code groups}
     * as roles), for a request whose token this cache holds.
     */
    public static SecurityIdentity identity(JsonWebToken jwt, TokenAuthenticationRequest request) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(jwt)
                .addCredential(request.getToken())
                .addRoles(jwt.getGroups())
                .addAttribute("quarkus.user", jwt);
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routing != null) {
            identity.addAttribute(RoutingContext.class.getName(), routing);
        }
        return identity.build();
    }
}
