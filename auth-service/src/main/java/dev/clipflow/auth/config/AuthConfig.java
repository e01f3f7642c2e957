package dev.clipflow.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of auth-service ({@code clipflow.auth.*}). */
@ConfigMapping(prefix = "clipflow.auth")
public interface AuthConfig {

    /** The {@code iss} of every token this service signs (and the only issuer it accepts). */
    @WithDefault("https://clipflow.local/auth")
    String issuer();

    /** Lifetime of user access tokens. */
    @WithDefault("15m")
    Duration accessTokenLifetime();

    /** Lifetime of a refresh token; each use rotates it and starts a new lifetime. */
    @WithDefault("14d")
    Duration refreshTokenLifetime();

    /** Lifetime of service tokens issued by the client-credentials grant. */
    @WithDefault("5m")
    Duration serviceTokenLifetime();

    /** Largest request body accepted; larger ones are answered 413 before they are read. */
    @WithDefault("65536")
    long maxBodyBytes();

    /** Signing keys and the JWKS. */
    Keys keys();

    /** The access and refresh cookies set at login. */
    Cookies cookies();

    /** Activation and password-reset e-mail. */
    Mail mail();

    /** Password hashing and strength rules. */
    Passwords passwords();

    /** Rate limiting of failed logins. */
    Throttle throttle();

    /** The first admin, created at start when missing. */
    Admin admin();

    /**
     * Internal callers allowed to use the client-credentials grant: client id to secret
     * (e.g. {@code clipflow.auth.service-clients.upload-service=<secret>}).
     */
    Map<String, String> serviceClients();

    /**
     * The same as {@link #serviceClients()} in one value, {@code id:secret} entries separated by commas;
     * convenient as one environment variable ({@code CLIPFLOW_AUTH_SERVICE_CLIENT_LIST}).
     */
    Optional<List<String>> serviceClientList();

    /**
     * A folder of client secrets, one file per client named after its id (in Kubernetes the Secret
     * {@code clipflow-service-clients} mounted read-only); a file {@code <id>.previous} holds a secret
     * accepted as well, for a rotation. Read at start, beside {@link #serviceClients()}.
     */
    Optional<String> serviceClientDir();

    /** Whether the service refuses to start without any service client (on in prod). */
    @WithDefault("false")
    boolean requireServiceClients();

    interface Keys {

        /**
         * Folder of the signing key {@code signing-key.pem} when no {@link #signingKey()} is configured (in
         * Kubernetes the mounted Secret); every other {@code *.pem} file in it is a public key published in
         * the JWKS beside the signing key (the previous key during a rotation).
         */
        @WithDefault(".clipflow/keys")
        String dir();

        /**
         * The RS256 signing key as PKCS#8 PEM (or its base64 body); in Kubernetes from a Secret.
         * When absent the key in {@link #dir()} is used, generated there on first start.
         */
        Optional<String> signingKey();

        /**
         * Further RSA public keys (X.509 PEM or base64 body) published in the JWKS beside the signing
         * key: the previous key during a rotation, or the next one before switching to it.
         */
        Optional<List<String>> previousPublicKeys();

        /**
         * Whether a key pair may be generated in {@link #dir()} when none is there. Off in prod, where a
         * missing key stops the start: replicas must sign with the same key, and a pod's root is read-only.
         */
        @WithDefault("true")
        boolean generate();
    }

    interface Cookies {

        /** Whether the cookies carry {@code Secure} (HTTPS only); switch off only for plain-HTTP local use. */
        @WithDefault("true")
        boolean secure();

        /** The {@code SameSite} attribute: Strict, Lax or None. */
        @WithDefault("Strict")
        String sameSite();

        /** Cookie {@code Domain}; absent: host-only cookies. */
        Optional<String> domain();
    }

    interface Mail {

        /** Base URL of the front end the e-mailed links point to (no trailing slash). */
        @WithDefault("http://localhost:8080")
        String frontendUrl();

        /** Path under {@link #frontendUrl()} of the activation link; the token is appended as {@code ?token=}. */
        @WithDefault("/api/auth/activate")
        String activationPath();

        /** Path under {@link #frontendUrl()} of the password-reset page; the token is appended as {@code ?token=}. */
        @WithDefault("/reset-password")
        String passwordResetPath();

        /** How long an activation link stays valid. */
        @WithDefault("48h")
        Duration activationLifetime();

        /** How long a password-reset link stays valid. */
        @WithDefault("1h")
        Duration passwordResetLifetime();

        /**
         * Longest one attempt to hand a message to the SMTP server may take before it counts as failed and is
         * retried (the reactive mailer has no timeout of its own).
         */
        @WithDefault("30s")
        Duration sendTimeout();
    }

    interface Passwords {

        /** bcrypt cost factor (work doubles per step); 4 to 31. */
        @WithDefault("11")
        int bcryptCost();

        /** Shortest accepted password. */
        @WithDefault("10")
        int minLength();
    }

    interface Throttle {

        /**
         * Failed sign-ins of one account from one client address within {@link #window()} before that account
         * is blocked for that address (the owner elsewhere can still sign in).
         */
        @WithDefault("5")
        int maxFailuresPerAccount();

        /** Failed sign-ins of one account from all addresses together within {@link #window()} before it is blocked. */
        @WithDefault("50")
        int maxFailuresPerAccountFromAnyAddress();

        /** Failed sign-ins from one client address within {@link #window()} before it is blocked. */
        @WithDefault("30")
        int maxFailuresPerAddress();

        /** Registrations from one client address within {@link #window()}. */
        @WithDefault("20")
        int maxRegistrationsPerAddress();

        /** Password-reset requests from one client address, and for one account, within {@link #window()}. */
        @WithDefault("5")
        int maxResetRequests();

        /** Failed {@code /internal/auth/token} requests of one client from one address within {@link #window()}. */
        @WithDefault("10")
        int maxFailuresPerClient();

        /** The counting window, also how long a block lasts. */
        @WithDefault("15m")
        Duration window();
    }

    interface Admin {

        /** E-mail of the bootstrap admin ({@code CLIPFLOW_ADMIN_EMAIL}). */
        Optional<String> email();

        /**
         * Password of the bootstrap admin ({@code CLIPFLOW_ADMIN_PASSWORD}), used only when the account is
         * created; when absent a random one is generated and logged once.
         */
        Optional<String> password();
    }
}
