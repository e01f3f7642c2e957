package dev.clipflow.auth.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyMaterialTest {

    @TempDir
    Path dir;

    @Test
    void aKeyIsGeneratedOnceAndReusedAfterwards() throws Exception {
        KeyMaterial first = KeyMaterial.load(Optional.empty(), dir.resolve("keys"), true, List.of());
        KeyMaterial second = KeyMaterial.load(Optional.empty(), dir.resolve("keys"), true, List.of());
        assertThat(second.keyId()).isEqualTo(first.keyId());
        Path file = dir.resolve("keys").resolve(KeyMaterial.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("keys").resolve(KeyMaterial.PUBLIC_KEY_FILE))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(first.jwksJson()).contains(first.keyId()).doesNotContain("\"d\"");
    }

    @Test
    void aConfiguredKeyWinsAndPreviousKeysArePublishedAfterIt() throws Exception {
        KeyPair current = pair();
        KeyPair previous = pair();
        String pem = KeyMaterial.pem("PRIVATE KEY", current.getPrivate().getEncoded());
        String previousPem = KeyMaterial.pem("PUBLIC KEY", previous.getPublic().getEncoded());
        KeyMaterial keys = KeyMaterial.load(Optional.of(pem), dir, false, List.of(previousPem, previousPem));
        assertThat(keys.publicKey()).isEqualTo(current.getPublic());
        assertThat(keys.publishedKeyIds()).hasSize(2).first().isEqualTo(keys.keyId());
        assertThat(Files.exists(dir.resolve(KeyMaterial.KEY_FILE))).isFalse();
        // the key id is the thumbprint: the same key gives the same id anywhere
        assertThat(KeyMaterial.load(Optional.of(pem), dir, false, List.of()).keyId()).isEqualTo(keys.keyId());
    }

    @Test
    void withoutAKeyAndWithoutGenerationStartFails() {
        assertThatThrownBy(() -> KeyMaterial.load(Optional.empty(), dir, false, List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signing-key");
        assertThatThrownBy(() -> KeyMaterial.load(Optional.of("garbage!"), dir, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static KeyPair pair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
