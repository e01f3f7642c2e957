package dev.clipflow.auth.mail;

/** The e-mails accounts receive. Sending never blocks nor fails the request that triggers it. */
public interface AccountMail {

    /** The activation link after registration. */
    void activation(String to, String displayName, String token);

    /** The password-reset link. */
    void passwordReset(String to, String displayName, String token);

    /**
     * A quota alert: {@code resource} (STORAGE or BANDWIDTH) reached {@code threshold} percent of its limit.
     */
    void quotaAlert(String to, String displayName, String resource, int threshold, long usedBytes, long limitBytes);

    /** A webhook endpoint of the user was disabled after failing for too long. */
    void webhookDisabled(String to, String displayName, String url, String reason);
}
