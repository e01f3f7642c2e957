package dev.clipflow.catalog.auth;

import dev.clipflow.problem.auth.VerifiedTokenIdentityProvider;
import dev.clipflow.problem.auth.VerifiedTokens;
import dev.clipflow.catalog.config.CatalogConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Requests whose token this replica verified lately are signed in from {@link VerifiedTokens} (the shared provider). */
@Singleton
public class CachedTokenIdentityProvider extends VerifiedTokenIdentityProvider {

    public CachedTokenIdentityProvider(VerifiedTokens tokens) {
        super(tokens);
    }

    /** The cache, as {@code clipflow.catalog.token-cache} configures it. */
    @Produces
    @Singleton
    static VerifiedTokens verifiedTokens(CatalogConfig config, Clock clock) {
        return new VerifiedTokens(config.tokenCache(), clock);
    }
}
