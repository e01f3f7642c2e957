package dev.clipflow.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Everything notify-service can be tuned with ({@code clipflow.notify.*}). */
@ConfigMapping(prefix = "clipflow.notify")
public interface NotifyConfig {

    /** Endpoints one user may register. */
    @WithDefault("20")
    int maxEndpointsPerUser();

    /** How long the previous secret keeps signing (beside the new one) after a rotation, by default. */
    @WithDefault("24h")
    Duration secretRotationGrace();

    Delivery delivery();

    Ssrf ssrf();

    /** Sending: retries, timeouts, limits. */
    interface Delivery {

        /** The pause after the first failed attempt; each later pause doubles (with +-20 % jitter). */
        @WithDefault("30s")
        Duration initialBackoff();

        /** The longest pause between two attempts. */
        @WithDefault("6h")
        Duration maxBackoff();

        /** A delivery still failing this long after the event is given up (FAILED). */
        @WithDefault("24h")
        Duration giveUpAfter();

        /**
         * An endpoint whose deliveries have failed without a success in between for this long is disabled and
         * its owner mailed ({@code webhook.disabled}).
         */
        @WithDefault("72h")
        Duration disableAfter();

        /** Connecting to an endpoint may take this long. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** The whole request (connect, send, response) may take this long. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Response bytes read at most (the rest is discarded and the connection closed). */
        @WithDefault("65536")
        int maxResponseBytes();

        /** Characters of the response body kept in the delivery log. */
        @WithDefault("500")
        int responseExcerptChars();

        /** How often due deliveries are looked for (besides right after events arrive). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries claimed per pass. */
        @WithDefault("20")
        int batchSize();

        /** Requests in flight at once. */
        @WithDefault("8")
        int concurrency();

        /** A claimed delivery whose sender died is picked up again after this long. */
        @WithDefault("2m")
        Duration lease();

        /**
         * How long the log keeps a finished (SUCCEEDED or FAILED) delivery with its attempts after it completed;
         * pending ones are never purged.
         */
        @WithDefault("30d")
        Duration retention();

        /** How often finished deliveries past the retention are purged. */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Deliveries deleted per purge transaction (small, so no lock is held for long). */
        @WithDefault("500")
        int purgeBatchSize();
    }

    /** Which targets webhooks may reach (server-side request forgery guard). */
    interface Ssrf {

        /**
         * CIDR ranges allowed although private, loopback, link-local or otherwise internal (e.g.
         * {@code 127.0.0.0/8,::1/128} on a developer's machine); empty: only public addresses.
         */
        @WithDefault("none")
        List<String> allowedCidrs();
    }
}
