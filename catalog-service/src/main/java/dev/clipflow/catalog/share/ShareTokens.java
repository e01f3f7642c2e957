package dev.clipflow.catalog.share;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signed, expiring share tokens: {@code base64url(version, videoId, expiresAt) . base64url(HMAC-SHA256)}.
 * Nothing is stored: the signature proves the token was issued here, the video row proves the
 * video still exists (deleting it kills every link). Signatures are compared in constant time.
 */
@ApplicationScoped
@Startup
public class ShareTokens {

    /** What a valid token grants. */
    public record Grant(UUID videoId, Instant expiresAt) {
    }

    private static final byte VERSION = 1;
    private static final int PAYLOAD = 1 + 16 + 8;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public ShareTokens(CatalogConfig config, Clock clock) {
        this.clock = clock;
        byte[] secret;
        if (config.share().key().isPresent()) {
            secret = config.share().key().get().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("clipflow.catalog.share.key must have at least 32 characters");
            }
        } else if (!config.share().randomKey()) {
            throw new IllegalStateException("clipflow.catalog.share.key (CLIPFLOW_SHARE_KEY) is not set: share links"
                    + " must be signed with the same key on every replica and across restarts. Set it from a Secret"
                    + " (at least 32 characters; the Helm chart reads Secret clipflow-share-key, key share-key).");
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Log.warn("clipflow.catalog.share.key is not set: share links are signed with a random key and"
                    + " stop working when this instance restarts");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public Instant now() {
        return clock.instant();
    }

    public String issue(UUID videoId, Instant expiresAt) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD)
                .put(VERSION)
                .putLong(videoId.getMostSignificantBits())
                .putLong(videoId.getLeastSignificantBits())
                .putLong(expiresAt.getEpochSecond());
        byte[] bytes = payload.array();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(bytes));
    }

    /** The grant of a token: 404 when it is malformed or its signature is wrong, 410 when it expired. */
    public Grant verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 0 || token.length() > 200) {
            throw invalid();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(sign(payload), signature) || payload.length != PAYLOAD || payload[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload, 1, PAYLOAD - 1);
        UUID videoId = new UUID(buffer.getLong(), buffer.getLong());
        Instant expiresAt = Instant.ofEpochSecond(buffer.getLong());
        if (!clock.instant().isBefore(expiresAt)) {
            throw new ProblemException(410, "share.expired", "Gone", "This share link has expired.");
        }
        return new Grant(videoId, expiresAt);
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException invalid() {
        return ProblemException.notFound("This share link");
    }
}
