package dev.clipflow.auth.web;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.user.service.TokenPair;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import java.util.Locale;

/**
 * The HttpOnly cookies of browser sessions: {@code access_token} (path {@code /}, every service reads it) and
 * {@code refresh_token} (path {@code /api/auth}, only sent to refresh and logout).
 */
@ApplicationScoped
public class AuthCookies {

    public static final String ACCESS = "access_token";
    public static final String REFRESH = "refresh_token";
    public static final String REFRESH_PATH = "/api/auth";

    private final AuthConfig.Cookies config;

    public AuthCookies(AuthConfig config) {
        this.config = config.cookies();
    }

    public NewCookie[] of(TokenPair pair) {
        return new NewCookie[] {
                cookie(ACCESS, pair.accessToken(), "/", (int) pair.expiresIn()),
                cookie(REFRESH, pair.refreshToken(), REFRESH_PATH, (int) Math.min(Integer.MAX_VALUE, pair.refreshExpiresIn()))};
    }

    /** Cookies that make the browser forget both. */
    public NewCookie[] cleared() {
        return new NewCookie[] {cookie(ACCESS, "", "/", 0), cookie(REFRESH, "", REFRESH_PATH, 0)};
    }

    private NewCookie cookie(String name, String value, String path, int maxAge) {
        NewCookie.Builder builder = new NewCookie.Builder(name)
                .value(value)
                .path(path)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(config.secure())
                .sameSite(NewCookie.SameSite.valueOf(config.sameSite().toUpperCase(Locale.ROOT)));
        config.domain().ifPresent(builder::domain);
        return builder.build();
    }
}
