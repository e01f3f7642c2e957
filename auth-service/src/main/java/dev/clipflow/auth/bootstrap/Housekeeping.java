package dev.clipflow.auth.bootstrap;

import dev.clipflow.auth.login.LoginThrottle;
import dev.clipflow.auth.token.RefreshTokenRepository;
import dev.clipflow.auth.user.OneTimeTokenRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** Drops expired refresh tokens, spent e-mail tokens and finished login counters. */
@ApplicationScoped
public class Housekeeping {

    private final RefreshTokenRepository refreshTokens;
    private final OneTimeTokenRepository oneTimeTokens;
    private final LoginThrottle throttle;

    public Housekeeping(RefreshTokenRepository refreshTokens, OneTimeTokenRepository oneTimeTokens,
            LoginThrottle throttle) {
        this.refreshTokens = refreshTokens;
        this.oneTimeTokens = oneTimeTokens;
        this.throttle = throttle;
    }

    @Scheduled(every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant now = Instant.now();
        long refresh = refreshTokens.purgeExpired(now);
        long once = oneTimeTokens.purge(now);
        int counters = throttle.purge();
        Log.debugf("Housekeeping: %d refresh tokens, %d e-mail tokens, %d login counters removed", refresh, once, counters);
    }
}
