package dev.clipflow.system;

import dev.clipflow.testinfra.servers.JwtIssuer;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Tokens signed with the stack's real signing key: auth-service keeps it (PKCS#8 PEM) in
 * {@code $CLIPFLOW_HOME/keys/signing-key.pem} on the local stack, and its {@code kid} is the key's
 * RFC 7638 thumbprint. For tokens auth-service would never hand out, such as expired ones.
 */
final class StackTokens {

    private StackTokens() {
    }

    /** A token of the stack's issuer and key that expired {@code ago} ago. */
    static String expired(UUID userId, Duration ago) {
        return issuer().token(userId, userId + "@example.com", Set.of("user", "admin"), ago.negated(), Stack.ISSUER, false);
    }

    /** A valid token of the stack's issuer and key (the control that shows the key is the real one). */
    static String valid(UUID userId, Set<String> groups) {
        return issuer().token(userId, userId + "@example.com", groups, Duration.ofMinutes(5), Stack.ISSUER, false);
    }

    private static JwtIssuer issuer() {
        try {
            String pem = Files.readString(Stack.get().home().resolve("keys/signing-key.pem"));
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", ""));
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            String keyId = new RsaJsonWebKey(publicKey).calculateBase64urlEncodedThumbprint("SHA-256");
            return JwtIssuer.offline(publicKey, key, keyId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
