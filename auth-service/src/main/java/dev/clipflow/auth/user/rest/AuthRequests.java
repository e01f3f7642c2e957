package dev.clipflow.auth.user.rest;

import dev.clipflow.auth.user.service.Emails;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request bodies of the account endpoints. Unknown fields are refused (400), so roles cannot be smuggled in. */
public final class AuthRequests {

    private AuthRequests() {
    }

    /** No control characters in names. */
    static final String NAME = "^[^\\p{Cntrl}]*$";

    public record Register(
            @NotBlank @Size(max = 254) @Email(regexp = Emails.PATTERN) String email,
            @NotNull @Size(max = 200) String password,
            @Size(max = 100) @Pattern(regexp = NAME) String displayName) {
    }

    public record Login(
            @NotBlank @Size(max = 254) @Email(regexp = Emails.PATTERN) String email,
            @NotNull @Size(max = 200) String password) {
    }

    public record Token(@NotBlank @Size(max = 200) String token) {
    }

    public record Refresh(@Size(max = 200) String refreshToken) {
    }

    public record PasswordReset(@NotBlank @Size(max = 254) @Email(regexp = Emails.PATTERN) String email) {
    }

    public record PasswordResetConfirm(@NotBlank @Size(max = 200) String token,
            @NotNull @Size(max = 200) String newPassword) {
    }

    public record PasswordChange(@NotNull @Size(max = 200) String currentPassword,
            @NotNull @Size(max = 200) String newPassword) {
    }

    public record CreateUser(
            @NotBlank @Size(max = 254) @Email(regexp = Emails.PATTERN) String email,
            @NotNull @Size(max = 200) String password,
            @Size(max = 100) @Pattern(regexp = NAME) String displayName,
            @Size(max = 2) List<String> roles) {
    }

    /**
     * PUT /api/admin/users/{id}: every field optional, absent ones stay unchanged. The user's own GET
     * representation is accepted too: its read-only fields (id, email, createdAt, updatedAt) must be unchanged.
     */
    public record UpdateUser(
            @Size(min = 1, max = 100) @Pattern(regexp = NAME) String displayName,
            @Size(max = 2) List<String> roles,
            Boolean enabled,
            Boolean activated,
            UUID id,
            @Size(max = 254) String email,
            Instant createdAt,
            Instant updatedAt) {
    }
}
