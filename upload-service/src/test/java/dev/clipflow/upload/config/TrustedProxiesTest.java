package dev.clipflow.upload.config;

import io.quarkus.vertx.http.runtime.TrustedProxyCheckPartConverter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The gateway addresses every service trusts (the problem module's {@code quarkus.http.proxy.trusted-proxies})
 * are address literals or ranges. Quarkus reads an entry it cannot parse as either as a host name and
 * resolves it over DNS on every request before handling it: {@code ::1} parsed as host {@code ":"}, port 1,
 * so each tus PATCH and chunk PUT created a DNS client and waited for two lookups of ":" (and IPv6
 * loopback was not trusted at all).
 */
class TrustedProxiesTest {

    @Test
    void everyTrustedProxyIsAnAddressNotAHostNameToResolvePerRequest() throws Exception {
        List<String> trusted = ConfigProvider.getConfig().getValues("quarkus.http.proxy.trusted-proxies", String.class);
        assertFalse(trusted.isEmpty());
        TrustedProxyCheckPartConverter converter = new TrustedProxyCheckPartConverter();
        for (String entry : trusted) {
            Object part = converter.convert(entry);
            Field hostName = part.getClass().getDeclaredField("hostName");
            hostName.setAccessible(true);
            assertNull(hostName.get(part), entry + " is read as a host name, resolved on every request");
        }
    }
}
