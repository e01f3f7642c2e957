package dev.clipflow.auth.token;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RS256 key pair tokens are signed with, plus the public keys published beside it. The key id
 * ({@code kid}) is the RFC 7638 thumbprint of the public key, so it is stable across restarts and
 * replicas without configuration.
 */
public final class KeyMaterial {

    public static final String KEY_FILE = "signing-key.pem";
    public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";

    private final PrivateKey privateKey;
    private final RsaJsonWebKey signingJwk;
    private final List<RsaJsonWebKey> published;

    private KeyMaterial(PrivateKey privateKey, RsaJsonWebKey signingJwk, List<RsaJsonWebKey> published) {
        this.privateKey = privateKey;
        this.signingJwk = signingJwk;
        this.published = List.copyOf(published);
    }

    /**
     * The signing key from configuration, else from {@code dir} (generated there once when allowed), and
     * the extra public keys to publish.
     */
    public static KeyMaterial load(Optional<String> signingKeyPem, Path dir, boolean generate, List<String> previousPublicKeys) {
        RSAPrivateCrtKey key = signingKeyPem.filter(s -> !s.isBlank())
                .map(KeyMaterial::parsePrivate)
                .orElseGet(() -> fromDir(dir, generate));
        RsaJsonWebKey signing = jwk(publicOf(key));
        Map<String, RsaJsonWebKey> all = new LinkedHashMap<>();
        all.put(signing.getKeyId(), signing);
        List<String> published = new ArrayList<>(previousPublicKeys);
        published.addAll(publicKeysIn(dir));
        for (String pem : published) {
            if (!pem.isBlank()) {
                RsaJsonWebKey previous = jwk(parsePublic(pem));
                all.putIfAbsent(previous.getKeyId(), previous);
            }
        }
        return new KeyMaterial(key, signing, new ArrayList<>(all.values()));
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return signingJwk.getRsaPublicKey();
    }

    public String keyId() {
        return signingJwk.getKeyId();
    }

    /** The key ids published, signing key first. */
    public List<String> publishedKeyIds() {
        return published.stream().map(JsonWebKey::getKeyId).toList();
    }

    /** The public JSON Web Key Set: the signing key first, then the previous keys. */
    public String jwksJson() {
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Every {@code *.pem} file in {@code dir} but the signing key (a mounted Secret's files are symbolic links). */
    private static List<String> publicKeysIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            List<String> keys = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".pem") && !name.equals(KEY_FILE) && !name.startsWith(".") && Files.isRegularFile(file)) {
                    keys.add(Files.readString(file));
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the public keys in " + dir.toAbsolutePath(), e);
        }
    }

    private static RSAPrivateCrtKey fromDir(Path dir, boolean generate) {
        Path file = dir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return parsePrivate(Files.readString(file));
            }
            if (!generate) {
                throw new IllegalStateException("No signing key: " + file.toAbsolutePath() + " does not exist. Put the"
                        + " RS256 private key (PKCS#8 PEM) there (CLIPFLOW_AUTH_KEY_DIR; the Helm chart mounts Secret"
                        + " clipflow-jwt, key " + KEY_FILE + "), or set clipflow.auth.keys.signing-key. Every replica"
                        + " must sign with the same key, so none is generated (clipflow.auth.keys.generate=false).");
            }
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path tmp = Files.createTempFile(dir, "signing-key", ".tmp");
            try {
                restrict(tmp);
                Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                // Atomic and never overwriting: of two instances starting together, one key wins.
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
            }
            RSAPrivateCrtKey key = parsePrivate(Files.readString(file));
            Files.writeString(dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", publicOf(key).getEncoded()));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the signing key in " + dir.toAbsolutePath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    static RSAPrivateCrtKey parsePrivate(String pem) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
            if (key instanceof RSAPrivateCrtKey crt) {
                return crt;
            }
            throw new IllegalArgumentException("The signing key must be an RSA private key in PKCS#8 form");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The signing key is not a PKCS#8 RSA private key", e);
        }
    }

    static RSAPublicKey parsePublic(String pem) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("A previous public key is not an X.509 RSA public key", e);
        }
    }

    static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey jwk(RSAPublicKey key) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(key);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setAlgorithm("RS256");
        jwk.setUse("sig");
        return jwk;
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A key is neither PEM nor base64", e);
        }
    }

    /** PEM text of a DER key. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

}
