package dev.clipflow.auth.user.service;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;
import org.wildfly.security.provider.util.ProviderUtil;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Set;

/** bcrypt hashing through WildFly Elytron, and the password strength rules. */
@ApplicationScoped
public class Passwords {

    /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
    public static final int MAX_BYTES = 72;

    private static final Set<String> COMMON = Set.of("password", "password1", "password123", "123456789",
            "1234567890", "qwertyuiop", "qwerty123", "iloveyou", "letmein", "welcome1", "admin123", "changeme",
            "abcdefghij", "abc1234567", "passw0rd", "password12", "1q2w3e4r5t", "clipflow", "clipflow123");

    private final AuthConfig.Passwords config;
    private final String dummyHash;

    public Passwords(AuthConfig config) {
        this.config = config.passwords();
        this.dummyHash = hash("not-a-real-password-" + System.nanoTime());
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, config.bcryptCost());
    }

    /** Whether the password matches the hash; with a null hash a dummy is checked so timing stays the same. */
    public boolean matches(String password, String hash) {
        boolean known = hash != null;
        try {
            Password stored = ModularCrypt.decode(known ? hash : dummyHash);
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT,
                    ProviderUtil.INSTALLED_PROVIDERS);
            boolean ok = factory.verify(factory.translate(stored), password.toCharArray());
            return known && ok;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Refuses weak passwords with 400 {@code auth.weak_password}. */
    public void requireStrong(String password, String email) {
        String reason = weakness(password, email);
        if (reason != null) {
            throw new ProblemException(400, "auth.weak_password", "Bad Request", reason);
        }
    }

    String weakness(String password, String email) {
        if (password == null || password.length() < config.minLength()) {
            return "The password needs at least " + config.minLength() + " characters.";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "The password may have at most " + MAX_BYTES + " bytes.";
        }
        boolean letter = password.chars().anyMatch(Character::isLetter);
        boolean other = password.chars().anyMatch(c -> !Character.isLetter(c));
        if (!letter || !other) {
            return "The password needs letters and at least one digit or symbol.";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower) || lower.chars().distinct().count() < 4) {
            return "The password is too easy to guess.";
        }
        if (email != null) {
            String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
            if (local.length() >= 4 && lower.contains(local.toLowerCase(Locale.ROOT))) {
                return "The password must not contain the e-mail address.";
            }
        }
        return null;
    }
}
