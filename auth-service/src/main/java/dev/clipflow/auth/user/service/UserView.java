package dev.clipflow.auth.user.service;

import dev.clipflow.auth.user.User;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A user as the API shows them: {@code GET /api/auth/me} reads {@code id, email, displayName, roles,
 * createdAt}; admins also see whether the account is activated and enabled.
 */
public record UserView(UUID id, String email, String displayName, Set<String> roles, Instant createdAt,
        boolean activated, boolean enabled, Instant updatedAt) {

    public static UserView of(User user) {
        return new UserView(user.id, user.email, user.displayName, user.roles(), user.createdAt, user.activated,
                user.enabled, user.updatedAt);
    }
}
