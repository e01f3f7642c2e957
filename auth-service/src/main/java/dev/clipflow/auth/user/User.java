package dev.clipflow.auth.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** An account. Roles are {@code user} for everyone plus {@code admin} for administrators. */
@Entity
@Table(name = "app_user")
public class User {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";

    @Id
    public UUID id;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "is_admin")
    public boolean admin;

    /** The e-mail address was confirmed (or an admin created the account). */
    public boolean activated;

    /** Not disabled by an admin. */
    public boolean enabled = true;

    /** Quota alerts (80 % / 100 % of storage or bandwidth) are e-mailed; the user may turn them off. */
    @Column(name = "quota_alert_mail")
    public boolean quotaAlertMail = true;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    @Version
    public long version;

    /** The JWT groups of this user. */
    public Set<String> roles() {
        Set<String> roles = new LinkedHashSet<>();
        roles.add(ROLE_USER);
        if (admin) {
            roles.add(ROLE_ADMIN);
        }
        return roles;
    }

    public boolean canSignIn() {
        return activated && enabled;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof User that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return User.class.hashCode();
    }
}
