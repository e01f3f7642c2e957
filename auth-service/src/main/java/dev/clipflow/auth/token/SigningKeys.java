package dev.clipflow.auth.token;

import dev.clipflow.auth.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;

/** The key material of this instance, loaded (or generated) once at start. */
@ApplicationScoped
@Startup
public class SigningKeys {

    private final KeyMaterial keys;

    public SigningKeys(AuthConfig config) {
        AuthConfig.Keys settings = config.keys();
        this.keys = KeyMaterial.load(settings.signingKey(), Path.of(settings.dir()), settings.generate(),
                settings.previousPublicKeys().orElse(List.of()));
        Log.infof("Signing tokens with key %s; JWKS publishes %s", keys.keyId(), keys.publishedKeyIds());
    }

    public KeyMaterial current() {
        return keys;
    }
}
