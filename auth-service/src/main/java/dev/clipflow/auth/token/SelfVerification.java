package dev.clipflow.auth.token;

import dev.clipflow.auth.config.AuthConfig;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

/**
 * auth-service verifies its own tokens from the same key set it publishes at {@code /api/auth/jwks}, held in
 * memory, instead of fetching its own JWKS over HTTP: the MicroProfile JWT settings (header, cookie, clock
 * skew) are kept, the key source and the issuer come from {@link AuthConfig} and {@link SigningKeys}.
 */
@ApplicationScoped
public class SelfVerification {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo contextInfo(JWTAuthContextInfoProvider provider, SigningKeys keys, AuthConfig config) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(provider.getContextInfo());
        info.setPublicKeyLocation(null);
        info.setPublicKeyContent(keys.current().jwksJson());
        info.setIssuedBy(config.issuer());
        return info;
    }
}
