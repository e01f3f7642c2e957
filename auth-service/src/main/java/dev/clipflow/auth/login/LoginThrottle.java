package dev.clipflow.auth.login;

import dev.clipflow.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Counts failed sign-ins per account (normalised e-mail, whether or not it exists) and per client address
 * in PostgreSQL, so every replica sees the same counts. Reaching the limit blocks the key for one window;
 * while blocked every attempt, even with the right password, is answered 429 with {@code Retry-After}.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final String UPSERT = """
            insert into login_throttle (scope_key, failures, window_start, blocked_until)
            values (:key, 1, now(), case when 1 >= :max then now() + :secs * interval '1 second' end)
            on conflict (scope_key) do update set
              failures = case when login_throttle.window_start < now() - :secs * interval '1 second'
                              then 1 else login_throttle.failures + 1 end,
              window_start = case when login_throttle.window_start < now() - :secs * interval '1 second'
                                  then now() else login_throttle.window_start end,
              blocked_until = case when (case when login_throttle.window_start < now() - :secs * interval '1 second'
                                              then 1 else login_throttle.failures + 1 end) >= :max
                                   then now() + :secs * interval '1 second' else login_throttle.blocked_until end
            """;

    private final EntityManager em;
    private final AuthConfig.Throttle config;

    public LoginThrottle(EntityManager em, AuthConfig config) {
        this.em = em;
        this.config = config.throttle();
    }

    /** Throws {@link TooManyAttempts} when the account or the address is blocked. */
    @Transactional
    public void check(String email, String address) {
        List<?> until = em.createNativeQuery("""
                select max(blocked_until) from login_throttle
                where scope_key in (:account, :address) and blocked_until > now()""")
                .setParameter("account", accountKey(email))
                .setParameter("address", addressKey(address))
                .getResultList();
        Object value = until.isEmpty() ? null : until.get(0);
        if (value != null) {
            Instant blockedUntil = value instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) value;
            long seconds = Math.max(1, (long) Math.ceil(Duration.between(Instant.now(), blockedUntil).toMillis() / 1000.0));
            throw new TooManyAttempts(seconds);
        }
    }

    /** Counts a failed attempt against the account and the address. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failed(String email, String address) {
        long secs = config.window().toSeconds();
        em.createNativeQuery(UPSERT).setParameter("key", accountKey(email))
                .setParameter("max", config.maxFailuresPerAccount()).setParameter("secs", secs).executeUpdate();
        em.createNativeQuery(UPSERT).setParameter("key", addressKey(address))
                .setParameter("max", config.maxFailuresPerAddress()).setParameter("secs", secs).executeUpdate();
    }

    /** A successful sign-in forgets the account's failures (the address keeps its count). */
    @Transactional
    public void succeeded(String email) {
        em.createNativeQuery("delete from login_throttle where scope_key = :key and (blocked_until is null or blocked_until < now())")
                .setParameter("key", accountKey(email)).executeUpdate();
    }

    /** Drops counters whose window and block are over. */
    @Transactional
    public int purge() {
        return em.createNativeQuery("""
                delete from login_throttle where window_start < now() - :secs * interval '1 second'
                and (blocked_until is null or blocked_until < now())""")
                .setParameter("secs", config.window().toSeconds()).executeUpdate();
    }

    private static String accountKey(String email) {
        return "account:" + email;
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }
}
