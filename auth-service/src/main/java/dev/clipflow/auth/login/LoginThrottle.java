package dev.clipflow.auth.login;

import dev.clipflow.auth.config.AuthConfig;
import io.micrometer.core.instrument.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Rate limits of the unauthenticated entry points, counted in PostgreSQL so every replica sees the same
 * counts. Each attempt is counted <em>before</em> the work it guards (bcrypt, e-mail, signing) by one
 * atomic upsert per key that also decides, under the row's lock, whether the key is over its limit:
 * parallel requests cannot all pass a check that a slow password comparison separates from the count.
 * Reaching a limit blocks the key for one window; a blocked key does not count on (an attacker cannot
 * extend a block), and the block ends with its window.
 * <ul>
 * <li>sign-in: per account <em>and</em> client address (a guesser elsewhere cannot lock the owner out),
 * per account over all addresses (a higher limit against guessing from many addresses), per address;
 * a successful sign-in forgets its account-and-address failures and does not count as one;</li>
 * <li>registration and password-reset requests: every request, per address (and reset also per account);</li>
 * <li>{@code /internal/auth/token}: failed client secrets per client and address.</li>
 * </ul>
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String WINDOW_OVER = "login_throttle.window_start < now() - :secs * interval '1 second'";
    private static final String BLOCKED = "login_throttle.blocked_until > now()";
    private static final String COUNT = """
            insert into login_throttle (scope_key, failures, window_start, blocked_until)
            values (:key, 1, now(), case when 1 > :max then now() + :secs * interval '1 second' end)
            on conflict (scope_key) do update set
              failures = case when %1$s then login_throttle.failures when %2$s then 1
                              else login_throttle.failures + 1 end,
              window_start = case when %1$s then login_throttle.window_start when %2$s then now()
                                  else login_throttle.window_start end,
              blocked_until = case when %1$s then login_throttle.blocked_until
                                   when (case when %2$s then 1 else login_throttle.failures + 1 end) > :max
                                   then now() + :secs * interval '1 second' end
            returning case when login_throttle.blocked_until > now()
                           then ceil(extract(epoch from login_throttle.blocked_until - now())) end
            """.formatted(BLOCKED, WINDOW_OVER);

    /** One counter: its key and how many attempts a window allows. */
    record Limit(String key, int max) {
    }

    private final EntityManager em;
    private final AuthConfig.Throttle config;

    public LoginThrottle(EntityManager em, AuthConfig config) {
        this.em = em;
        this.config = config.throttle();
    }

    /** Counts a sign-in attempt; throws {@link TooManyAttempts} when the account or the address is blocked. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void signIn(String email, String address) {
        count("sign_in", "Too many failed sign-ins.", new Limit(pairKey(email, address), config.maxFailuresPerAccount()),
                new Limit(accountKey(email), config.maxFailuresPerAccountFromAnyAddress()),
                new Limit(addressKey(address), config.maxFailuresPerAddress()));
    }

    /** A successful sign-in: its attempt was no failure, and the account's failures from this address are forgotten. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void signedIn(String email, String address) {
        forget(pairKey(email, address));
        uncount(accountKey(email));
        uncount(addressKey(address));
    }

    /** Counts a registration; 429 past the limit of the address. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void register(String address) {
        count("register", "Too many registrations from this address.",
                new Limit("register:" + address(address), config.maxRegistrationsPerAddress()));
    }

    /** Counts a password-reset request; 429 past the limit of the address or of the account. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void passwordReset(String email, String address) {
        count("password_reset", "Too many password-reset requests.",
                new Limit("reset:" + address(address), config.maxResetRequests()),
                new Limit("reset-account:" + email, config.maxResetRequests()));
    }

    /** Counts a service-token request of a client; 429 once the client failed too often from this address. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void serviceToken(String clientId, String address) {
        count("service_token", "Too many failed token requests.",
                new Limit("client:" + clientId + "@" + address(address), config.maxFailuresPerClient()));
    }

    /** A granted service token: its attempt was no failure. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void serviceTokenGranted(String clientId, String address) {
        forget("client:" + clientId + "@" + address(address));
    }

    /** The throttle counter of every action exists from the start ({@code clipflow_auth_throttled_total{action}}). */
    void registerMeters(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        for (String action : new String[] {"sign_in", "register", "password_reset", "service_token"}) {
            Metrics.counter("clipflow.auth.throttled", "action", action);
        }
    }

    /** Drops counters whose window and block are over. */
    @Transactional
    public int purge() {
        return em.createNativeQuery("""
                delete from login_throttle where window_start < now() - :secs * interval '1 second'
                and (blocked_until is null or blocked_until < now())""")
                .setParameter("secs", config.window().toSeconds()).executeUpdate();
    }

    private void count(String action, String detail, Limit... limits) {
        long retryAfter = 0;
        for (Limit limit : limits) {
            List<?> blocked = em.createNativeQuery(COUNT).setParameter("key", limit.key())
                    .setParameter("max", limit.max()).setParameter("secs", config.window().toSeconds())
                    .getResultList();
            Object seconds = blocked.isEmpty() ? null : blocked.get(0);
            if (seconds instanceof Number n) {
                retryAfter = Math.max(retryAfter, Math.max(1, n.longValue()));
            }
        }
        if (retryAfter > 0) {
            Metrics.counter("clipflow.auth.throttled", "action", action).increment();
            throw new TooManyAttempts(detail, retryAfter);
        }
    }

    private void forget(String key) {
        em.createNativeQuery("delete from login_throttle where scope_key = :key and (blocked_until is null or blocked_until < now())")
                .setParameter("key", key).executeUpdate();
    }

    private void uncount(String key) {
        em.createNativeQuery("""
                update login_throttle set failures = greatest(failures - 1, 0)
                where scope_key = :key and (blocked_until is null or blocked_until < now())""")
                .setParameter("key", key).executeUpdate();
    }

    private static String pairKey(String email, String address) {
        return "account-address:" + email + "@" + address(address);
    }

    private static String accountKey(String email) {
        return "account:" + email;
    }

    private static String addressKey(String address) {
        return "address:" + address(address);
    }

    private static String address(String address) {
        return address == null ? "unknown" : address;
    }
}
