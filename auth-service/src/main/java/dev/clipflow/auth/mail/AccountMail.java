package dev.clipflow.auth.mail;

/** The e-mails accounts receive. Sending never blocks nor fails the request that triggers it. */
public interface AccountMail {

    /** The activation link after registration. */
    void activation(String to, String displayName, String token);

    /** The password-reset link. */
    void passwordReset(String to, String displayName, String token);
}
