package dev.clipflow.catalog.media;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.clipflow.catalog.bandwidth.BandwidthMeter;
import dev.clipflow.catalog.bandwidth.QuotaGate;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.storage.gcs.GcsBlobStore;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Playback from GCS with {@code signed-redirects}: MP4 and segments answer 307 to a V4 signed URL
 * (Google's in-memory fake signs with a real RSA key) and the owner is charged what was signed;
 * playlists and downloads are still served by the catalog.
 */
class SignedRedirectTest {

    final UUID owner = UUID.randomUUID();
    final BandwidthMeter meter = new BandwidthMeter(null);
    final GcsBlobStore store = signingStore();
    final MediaServer server = new MediaServer(store, meter, new QuotaGate(null, meter, config(true)), config(true));

    @Test
    void mediaAnswersARedirectToASignedUrlAndIsChargedWhatWasSigned() {
        store.put("videos/v/video.mp4", new ByteArrayInputStream(new byte[1000]), 1000, MediaTypes.MP4);
        Response whole = server.serve(item("videos/v/video.mp4", MediaTypes.MP4, null), conditions(null));
        assertThat(whole.getStatus()).isEqualTo(307);
        assertThat(whole.getLocation().toString()).contains("/bucket/pre/videos/v/video.mp4")
                .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256").contains("X-Goog-Expires=300");
        assertThat(meter.pending(owner)).isEqualTo(1000);

        Response range = server.serve(item("videos/v/video.mp4", MediaTypes.MP4, null), conditions("bytes=100-199"));
        assertThat(range.getStatus()).isEqualTo(307);
        assertThat(meter.pending(owner)).isEqualTo(1100);
    }

    @Test
    void playlistsAndDownloadsAreServedHere() {
        store.put("videos/v/hls/master.m3u8", new ByteArrayInputStream("#EXTM3U\n".getBytes()), 8, MediaTypes.M3U8);
        store.put("videos/v/video.mp4", new ByteArrayInputStream(new byte[10]), 10, MediaTypes.MP4);
        assertThat(server.serve(item("videos/v/hls/master.m3u8", MediaTypes.M3U8, null), conditions(null))
                .getStatus()).isEqualTo(200);
        assertThat(server.serve(item("videos/v/video.mp4", MediaTypes.MP4, "video.mp4"), conditions(null))
                .getStatus()).isEqualTo(200);
    }

    @Test
    void withoutTheSettingMediaIsServedHere() {
        store.put("videos/v/video.mp4", new ByteArrayInputStream(new byte[10]), 10, MediaTypes.MP4);
        MediaServer proxying = new MediaServer(store, meter, new QuotaGate(null, meter, config(false)), config(false));
        assertThat(proxying.serve(item("videos/v/video.mp4", MediaTypes.MP4, null), conditions(null)).getStatus())
                .isEqualTo(200);
    }

    private MediaServer.Item item(String key, String type, String attachment) {
        return new MediaServer.Item(key, owner, type, "private, max-age=60", attachment, true);
    }

    private static MediaServer.Conditions conditions(String range) {
        return new MediaServer.Conditions(false, range, null, null, null);
    }

    private static GcsBlobStore signingStore() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var credentials = com.google.auth.oauth2.ServiceAccountCredentials.newBuilder()
                    .setClientEmail("clipflow@test-project.iam.gserviceaccount.com")
                    .setPrivateKey(generator.generateKeyPair().getPrivate())
                    .setProjectId("test-project").build();
            Storage storage = LocalStorageHelper.getOptions().toBuilder().setCredentials(credentials).build().getService();
            return new GcsBlobStore(storage, "bucket", "pre/");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The catalog's settings with signed redirects on or off, bandwidth not enforced (what is used here). */
    private static CatalogConfig config(boolean redirects) {
        CatalogConfig.Bandwidth bandwidth = settings(CatalogConfig.Bandwidth.class, Map.of("enforce", false,
                "cacheTtl", Duration.ofSeconds(3)));
        return settings(CatalogConfig.class, Map.of("signedRedirects", redirects,
                "signedRedirectTtl", Duration.ofMinutes(5), "bandwidth", bandwidth));
    }

    private static <T> T settings(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                }));
    }
}
