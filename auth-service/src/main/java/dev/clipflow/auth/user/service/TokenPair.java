package dev.clipflow.auth.user.service;

/** The answer of login and refresh: {@code {accessToken, refreshToken, expiresIn, tokenType:"Bearer"}}. */
public record TokenPair(String accessToken, String refreshToken, long expiresIn, String tokenType,
        @com.fasterxml.jackson.annotation.JsonIgnore long refreshExpiresIn) {

    public TokenPair(String accessToken, String refreshToken, long expiresIn, long refreshExpiresIn) {
        this(accessToken, refreshToken, expiresIn, "Bearer", refreshExpiresIn);
    }
}
