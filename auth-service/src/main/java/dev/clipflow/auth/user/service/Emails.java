package dev.clipflow.auth.user.service;

import java.util.Locale;

/** E-mail addresses as stored and compared: trimmed, lower case. */
public final class Emails {

    /** Accepts {@code local@domain.tld}: no spaces, one {@code @}, a dot in the domain. */
    public static final String PATTERN = "^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$";

    private Emails() {
    }

    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** The default display name of an address: its local part. */
    public static String localPart(String email) {
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }
}
