package dev.clipflow.catalog.media;

import dev.clipflow.catalog.config.CatalogConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether uploaded originals are kept after their transcode ({@code clipflow.catalog.keep-originals}). A bean
 * of its own so that a test can turn it off for one test ({@code QuarkusMock}) instead of restarting the
 * service with another profile.
 */
@ApplicationScoped
public class KeepOriginals {

    private final CatalogConfig config;

    public KeepOriginals(CatalogConfig config) {
        this.config = config;
    }

    public boolean keep() {
        return config.keepOriginals();
    }
}
