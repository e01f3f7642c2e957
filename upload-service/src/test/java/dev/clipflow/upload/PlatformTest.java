package dev.clipflow.upload;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/uploads";
    }

    @Override
    protected String serviceName() {
        return "upload-service";
    }
}
