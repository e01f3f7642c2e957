package dev.clipflow.catalog.auth;

import dev.clipflow.problem.auth.VerifiedTokens;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers each token that smallrye-jwt verified for a request ({@link VerifiedTokens}); the verification itself is
 * unchanged. Only {@link #parse(String)}, the call Quarkus makes for a request's token, is decorated.
 */
@Decorator
@Priority(10)
public abstract class CachingJwtParser implements JWTParser {

    @Inject
    @Delegate
    JWTParser parser;

    @Inject
    VerifiedTokens tokens;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken jwt = parser.parse(token);
        tokens.verified(token, jwt);
        return jwt;
    }
}
