package dev.clipflow.notify.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A receiver's verification, written from the Standard Webhooks specification (not from the service's code):
 * the signed content is {@code id.timestamp.body}; the key is the base64 after {@code whsec_}; the header holds
 * space-separated {@code v1,<base64>} signatures, any of which may match; a timestamp more than five minutes
 * away from now is refused (replay protection).
 */
public final class StandardWebhooksVerifier {

    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooksVerifier() {
    }

    /** Throws when the message is not authentic or not fresh. */
    public static void verify(String secret, String id, String timestamp, String signatureHeader, String body,
            Instant now) {
        if (id == null || timestamp == null || signatureHeader == null) {
            throw new IllegalArgumentException("Missing required headers");
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            throw new IllegalArgumentException("Message timestamp too old or too new");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String candidate : signatureHeader.split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(comma + 1)))) {
                return;
            }
        }
        throw new IllegalArgumentException("No matching signature found");
    }

    public static boolean verifies(String secret, Receiver.Request r) {
        return verifies(secret, r, r.body(), Instant.now());
    }

    public static boolean verifies(String secret, Receiver.Request r, String body, Instant now) {
        try {
            verify(secret, r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"),
                    body, now);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
