package dev.clipflow.transcode;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/jobs";
    }

    @Override
    protected String serviceName() {
        return "transcode-service";
    }
}
