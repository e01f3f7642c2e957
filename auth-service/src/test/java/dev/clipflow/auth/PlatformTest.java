package dev.clipflow.auth;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/auth/me";
    }

    @Override
    protected String serviceName() {
        return "auth-service";
    }
}
