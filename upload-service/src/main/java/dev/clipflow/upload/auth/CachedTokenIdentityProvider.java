package dev.clipflow.upload.auth;

import dev.clipflow.problem.auth.VerifiedTokens;
import dev.clipflow.upload.config.UploadConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;

/**
 * Signs in a request whose token this replica verified lately ({@link VerifiedTokens}) on the I/O thread, with the
 * same identity smallrye-jwt's validator builds (principal, token credential, {@code groups} as roles); any other
 * token goes on to that validator, which verifies it on a worker thread (its keys come over HTTP) and so fills the
 * cache. Tried first: a higher priority than the validator's.
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens tokens;

    public CachedTokenIdentityProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1; // tried before smallrye-jwt's validator (the default priority)
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        JsonWebToken jwt = tokens.get(request.getToken().getToken());
        if (jwt == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(VerifiedTokens.identity(jwt, request));
    }

    /** The cache, as {@code clipflow.upload.token-cache} configures it. */
    @Produces
    @Singleton
    static VerifiedTokens verifiedTokens(UploadConfig config, Clock clock) {
        return new VerifiedTokens(config.tokenCache().ttl().toNanos(), config.tokenCache().maxEntries(),
                config.tokenCache().maxTokenLength(), clock);
    }
}
