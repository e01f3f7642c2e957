package dev.clipflow.auth.user.service;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.login.LoginThrottle;
import dev.clipflow.auth.mail.AccountMail;
import dev.clipflow.auth.token.AccessTokens;
import dev.clipflow.auth.token.RefreshTokens;
import dev.clipflow.auth.user.OneTimeToken;
import dev.clipflow.auth.user.OneTimeTokenRepository;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.contracts.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Self-service account flows: register, activate, sign in, refresh, sign out, password reset and change. */
@ApplicationScoped
public class AccountService {

    private final UserRepository users;
    private final UserFactory factory;
    private final OneTimeTokenRepository oneTimeTokens;
    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final AccountMail mail;
    private final AuthConfig config;
    private final MeterRegistry metrics;

    public AccountService(UserRepository users, UserFactory factory, OneTimeTokenRepository oneTimeTokens,
            RefreshTokens refreshTokens, AccessTokens accessTokens, Passwords passwords, LoginThrottle throttle,
            AccountMail mail, AuthConfig config, MeterRegistry metrics) {
        this.users = users;
        this.factory = factory;
        this.oneTimeTokens = oneTimeTokens;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.passwords = passwords;
        this.throttle = throttle;
        this.mail = mail;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Creates an inactive account and e-mails its activation link. Duplicate e-mail: 409; weak password: 400;
     * too many registrations from the client's address: 429.
     */
    public UserView register(String email, String password, String displayName, String clientAddress) {
        throttle.register(clientAddress);
        record Created(User user, String token) {
        }
        Created created = QuarkusTransaction.requiringNew().call(() -> {
            User user = factory.create(email, password, displayName, false, false);
            return new Created(user, oneTimeTokens.issue(user.id, OneTimeToken.Purpose.ACTIVATION,
                    config.mail().activationLifetime()));
        });
        mail.activation(created.user().email, created.user().displayName, created.token());
        return UserView.of(created.user());
    }

    /** Activates the account of a single-use activation token. */
    @Transactional
    public UserView activate(String token) {
        User user = users.findById(oneTimeTokens.consume(token, OneTimeToken.Purpose.ACTIVATION));
        user.activated = true;
        user.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return UserView.of(user);
    }

    /**
     * Signs in. Unknown e-mail, wrong password, inactive or disabled account: the same 401. Attempts are counted
     * before the password is compared and rate limited per account and address, per account and per address
     * (429, see {@link LoginThrottle}).
     */
    public TokenPair login(String rawEmail, String password, String clientAddress) {
        String email = Emails.normalize(rawEmail);
        throttle.signIn(email, clientAddress);
        User user = QuarkusTransaction.requiringNew().call(() -> users.findByEmail(email).orElse(null));
        boolean matches = passwords.matches(password, user == null ? null : user.passwordHash);
        if (!matches || !user.canSignIn()) {
            metrics.counter("clipflow.auth.logins", "outcome", "failed").increment();
            throw new ProblemException(401, "auth.invalid_credentials", "Unauthorized",
                    "The e-mail or password is wrong, or the account is not active.");
        }
        throttle.signedIn(email, clientAddress);
        metrics.counter("clipflow.auth.logins", "outcome", "succeeded").increment();
        return QuarkusTransaction.requiringNew().call(() -> pair(user, refreshTokens.start(user.id)));
    }

    /** Both sign-in counters exist from the start ({@code clipflow_auth_logins_total{outcome}}). */
    void registerMeters(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        metrics.counter("clipflow.auth.logins", "outcome", "succeeded");
        metrics.counter("clipflow.auth.logins", "outcome", "failed");
    }

    /** Exchanges a refresh token for a new pair (rotation; reuse revokes the family). */
    @Transactional(dontRollbackOn = ProblemException.class)
    public TokenPair refresh(String refreshToken) {
        RefreshTokens.Issued next = refreshTokens.rotate(refreshToken);
        User user = users.findById(next.userId());
        if (user == null || !user.canSignIn()) {
            refreshTokens.revokeAll(next.userId());
            throw new ProblemException(401, "auth.invalid_refresh_token", "Unauthorized",
                    "The account can no longer sign in.");
        }
        return pair(user, next);
    }

    /** Revokes the session of a refresh token (if any). */
    public void logout(String refreshToken) {
        refreshTokens.revokeSession(refreshToken);
    }

    /**
     * E-mails a reset link when the address belongs to an enabled account; silent otherwise. Too many requests
     * from the client's address or for the account: 429.
     */
    public void requestPasswordReset(String rawEmail, String clientAddress) {
        String email = Emails.normalize(rawEmail);
        throttle.passwordReset(email, clientAddress);
        record Reset(User user, String token) {
        }
        Reset reset = QuarkusTransaction.requiringNew().call(() -> users.findByEmail(email)
                .filter(u -> u.enabled)
                .map(u -> new Reset(u, oneTimeTokens.issue(u.id, OneTimeToken.Purpose.PASSWORD_RESET,
                        config.mail().passwordResetLifetime())))
                .orElse(null));
        if (reset != null) {
            mail.passwordReset(reset.user().email, reset.user().displayName, reset.token());
        }
    }

    /** Sets a new password from a reset token; every session of the user ends. */
    @Transactional
    public void confirmPasswordReset(String token, String newPassword) {
        User user = users.findById(oneTimeTokens.consume(token, OneTimeToken.Purpose.PASSWORD_RESET));
        setPassword(user, newPassword);
        // Following the e-mailed link proves the address.
        user.activated = true;
    }

    /** Changes the password of a signed-in user who knows the current one; every session ends. */
    @Transactional
    public void changePassword(UUID userId, String currentPassword, String newPassword) {
        User user = users.findByIdOptional(userId).orElseThrow(() -> ProblemException.notFound("The user"));
        if (!passwords.matches(currentPassword, user.passwordHash)) {
            throw new ProblemException(400, "auth.wrong_password", "Bad Request", "The current password is wrong.");
        }
        setPassword(user, newPassword);
    }

    @Transactional
    public UserView me(UUID userId) {
        return users.findByIdOptional(userId).map(UserView::of)
                .orElseThrow(() -> new ProblemException(404, "user.not_found", "Not Found", "The user does not exist."));
    }

    private void setPassword(User user, String newPassword) {
        passwords.requireStrong(newPassword, user.email);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        user.passwordHash = passwords.hash(newPassword);
        user.passwordChangedAt = now;
        user.updatedAt = now;
        refreshTokens.revokeAll(user.id);
    }

    private TokenPair pair(User user, RefreshTokens.Issued refresh) {
        AccessTokens.Signed access = accessTokens.user(user.id, user.email, user.roles());
        long refreshSeconds = Math.max(0, Duration.between(Instant.now(), refresh.expiresAt()).toSeconds());
        return new TokenPair(access.token(), refresh.token(), access.lifetime().toSeconds(), refreshSeconds);
    }
}
