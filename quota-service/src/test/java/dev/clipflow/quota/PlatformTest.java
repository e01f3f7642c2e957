package dev.clipflow.quota;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/quota/me";
    }

    @Override
    protected String serviceName() {
        return "quota-service";
    }
}
