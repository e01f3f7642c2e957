package dev.clipflow.upload.auth;

import dev.clipflow.problem.auth.VerifiedTokenIdentityProvider;
import dev.clipflow.problem.auth.VerifiedTokens;
import dev.clipflow.upload.config.UploadConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Requests whose token this replica verified lately are signed in from {@link VerifiedTokens} (the shared provider). */
@Singleton
public class CachedTokenIdentityProvider extends VerifiedTokenIdentityProvider {

    public CachedTokenIdentityProvider(VerifiedTokens tokens) {
        super(tokens);
    }

    /** The cache, as {@code clipflow.upload.token-cache} configures it. */
    @Produces
    @Singleton
    static VerifiedTokens verifiedTokens(UploadConfig config, Clock clock) {
        return new VerifiedTokens(config.tokenCache(), clock);
    }
}
