package dev.clipflow.catalog;

import dev.clipflow.testinfra.conventions.PlatformConventionsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformTest extends PlatformConventionsTest {

    @Override
    protected String protectedPath() {
        return "/api/videos";
    }

    @Override
    protected String serviceName() {
        return "catalog-service";
    }
}
