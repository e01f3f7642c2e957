package dev.clipflow.notify;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/webhooks";
    }

    @Override
    protected String serviceName() {
        return "notify-service";
    }
}
