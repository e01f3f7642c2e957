package dev.clipflow.auth.user.service;

import dev.clipflow.auth.token.RefreshTokens;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.auth.user.event.UserEvents;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Admin user management. The last admin who can sign in can be neither demoted, disabled nor deleted: the
 * active admins' rows are locked first, so two admins removing each other at once cannot both succeed.
 */
@ApplicationScoped
public class UserAdminService {

    private static final Set<String> KNOWN_ROLES = Set.of(User.ROLE_USER, User.ROLE_ADMIN);

    private final UserRepository users;
    private final UserFactory factory;
    private final RefreshTokens refreshTokens;
    private final UserEvents events;

    public UserAdminService(UserRepository users, UserFactory factory, RefreshTokens refreshTokens, UserEvents events) {
        this.users = users;
        this.factory = factory;
        this.refreshTokens = refreshTokens;
        this.events = events;
    }

    /** A change of an account; absent fields stay as they are. */
    public record Change(Optional<String> displayName, Optional<List<String>> roles, Optional<Boolean> enabled,
            Optional<Boolean> activated, ReadOnly readOnly) {
    }

    /**
     * The fields of a user's own representation ({@link UserView}) a client may send back unchanged with a PUT
     * (get, modify, put): each one present must equal the stored value, or the PUT is refused.
     */
    public record ReadOnly(UUID id, String email, Instant createdAt, Instant updatedAt) {

        static final ReadOnly NONE = new ReadOnly(null, null, null, null);

        void check(User user) {
            same("id", id, user.id);
            same("email", email, user.email);
            same("createdAt", createdAt, user.createdAt);
            same("updatedAt", updatedAt, user.updatedAt);
        }

        private static void same(String field, Object sent, Object stored) {
            if (sent != null && !sent.equals(stored)) {
                throw ProblemException.badRequest("request.read_only_field", "Field '" + field
                        + "' is read-only; send it unchanged or leave it out.");
            }
        }
    }

    @Transactional
    public Page<UserView> search(String q, Page.PageRequest page) {
        return users.search(q, page).map(UserView::of);
    }

    @Transactional
    public UserView get(UUID id) {
        return UserView.of(find(id));
    }

    /** Creates an account that is active at once. */
    @Transactional
    public UserView create(String email, String password, String displayName, List<String> roles) {
        boolean admin = isAdmin(roles == null ? List.of() : roles);
        return UserView.of(factory.create(email, password, displayName, admin, true));
    }

    @Transactional
    public UserView update(UUID id, Change change) {
        List<UUID> activeAdmins = users.lockActiveAdmins();
        User user = find(id);
        (change.readOnly() == null ? ReadOnly.NONE : change.readOnly()).check(user);
        boolean admin = change.roles().map(UserAdminService::isAdmin).orElse(user.admin);
        boolean enabled = change.enabled().orElse(user.enabled);
        boolean activated = change.activated().orElse(user.activated);
        boolean staysActiveAdmin = admin && enabled && activated;
        if (activeAdmins.contains(user.id) && !staysActiveAdmin && activeAdmins.size() <= 1) {
            throw lastAdmin();
        }
        change.displayName().map(String::trim).ifPresent(name -> {
            if (name.isEmpty()) {
                throw ProblemException.badRequest("request.invalid", "displayName must not be blank.");
            }
            user.displayName = name;
        });
        if (user.enabled && !enabled) {
            refreshTokens.revokeAll(user.id);
        }
        user.admin = admin;
        user.enabled = enabled;
        user.activated = activated;
        user.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return UserView.of(user);
    }

    /** Deletes one account and publishes {@code user.deleted} in the same transaction. */
    @Transactional
    public void delete(UUID id, UUID actor) {
        List<UUID> activeAdmins = users.lockActiveAdmins();
        User user = find(id);
        if (activeAdmins.contains(user.id) && activeAdmins.size() <= 1) {
            throw lastAdmin();
        }
        users.delete(user);
        events.deleted(user.id, user.email, actor);
        Log.infof("User %s deleted by %s", user.id, actor);
    }

    /** Deletes every non-admin account, one {@code user.deleted} each; returns how many. */
    @Transactional
    public int deleteAllNonAdmins(UUID actor) {
        @SuppressWarnings("unchecked")
        List<Object[]> deleted = users.getEntityManager()
                .createNativeQuery("delete from app_user where not is_admin returning id, email")
                .getResultList();
        for (Object[] row : deleted) {
            events.deleted((UUID) row[0], (String) row[1], actor);
        }
        Log.infof("%d non-admin users deleted by %s", deleted.size(), actor);
        return deleted.size();
    }

    private User find(UUID id) {
        return users.findByIdOptional(id)
                .orElseThrow(() -> new ProblemException(404, "user.not_found", "Not Found", "The user does not exist."));
    }

    private static boolean isAdmin(List<String> roles) {
        for (String role : roles) {
            if (role == null || !KNOWN_ROLES.contains(role)) {
                throw ProblemException.badRequest("user.unknown_role",
                        "Unknown role '" + role + "'; roles are " + KNOWN_ROLES + ".");
            }
        }
        return roles.contains(User.ROLE_ADMIN);
    }

    private static ProblemException lastAdmin() {
        return ProblemException.conflict("user.last_admin",
                "This is the last active admin; promote another admin first.");
    }
}
