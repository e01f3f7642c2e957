package dev.clipflow.problem.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Signs in a request whose token this replica verified lately ({@link VerifiedTokens}) on the I/O thread, with the
 * same identity smallrye-jwt's validator builds (principal, token credential, {@code groups} as roles); any other
 * token goes on to that validator, which verifies it on a worker thread (its keys come over HTTP) and so fills the
 * cache through the service's decorator of its parser. Tried first: a higher priority than the validator's. Not a
 * bean here: a service that caches tokens declares an {@code @ApplicationScoped} subclass.
 */
public class VerifiedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens tokens;

    protected VerifiedTokenIdentityProvider(VerifiedTokens tokens) {
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
}
