package dev.clipflow.catalog.auth;

import dev.clipflow.problem.auth.VerifiedTokens;
import dev.clipflow.testinfra.time.MovableClock;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a verified token is reused: never past its exp, nor the TTL; bounded in size and token length. */
class VerifiedTokensTest {

    private final MovableClock clock = new MovableClock();

    private VerifiedTokens cache(Duration ttl, long maxEntries, int maxLength) {
        return new VerifiedTokens(ttl.toNanos(), maxEntries, maxLength, clock);
    }

    private JsonWebToken expiringIn(Duration lifetime) {
        long exp = clock.instant().plus(lifetime).getEpochSecond();
        Map<String, Object> claims = Map.of("sub", "someone", "exp", exp);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "someone";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }

    @Test
    void aTokenIsReusedUntilItsExpAtTheLatest() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100, 4096);
        JsonWebToken jwt = expiringIn(Duration.ofSeconds(30));
        tokens.verified("a.b.c", jwt);
        assertThat(tokens.get("a.b.c")).isSameAs(jwt);
        clock.advance(Duration.ofSeconds(28));
        assertThat(tokens.get("a.b.c")).isSameAs(jwt);
        clock.advance(Duration.ofSeconds(3));
        assertThat(tokens.get("a.b.c")).as("past exp: verified in full again").isNull();
    }

    @Test
    void aLongLivedTokenIsReusedForTheTtlOnly() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100, 4096);
        tokens.verified("a.b.c", expiringIn(Duration.ofHours(1)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.get("a.b.c")).isNotNull();
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.get("a.b.c")).isNull();
    }

    @Test
    void onlyTheExactTextHits() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100, 4096);
        tokens.verified("a.b.c", expiringIn(Duration.ofHours(1)));
        assertThat(tokens.get("a.b.d")).isNull();
        assertThat(tokens.get("a.b.c ")).isNull();
    }

    @Test
    void expiredLongOrDisabledAreNotKept() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 100, 10);
        tokens.verified("expired", expiringIn(Duration.ofSeconds(-5))); // accepted within the clock skew
        tokens.verified("0123456789-too-long", expiringIn(Duration.ofHours(1)));
        assertThat(tokens.get("expired")).isNull();
        assertThat(tokens.get("0123456789-too-long")).isNull();

        VerifiedTokens off = cache(Duration.ZERO, 100, 4096);
        off.verified("a.b.c", expiringIn(Duration.ofHours(1)));
        assertThat(off.get("a.b.c")).isNull();
        assertThat(off.size()).isZero();
    }

    @Test
    void atMostMaxEntriesAreKept() {
        VerifiedTokens tokens = cache(Duration.ofMinutes(1), 50, 4096);
        for (int i = 0; i < 500; i++) {
            tokens.verified("token-" + i, expiringIn(Duration.ofHours(1)));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(50);
    }
}
