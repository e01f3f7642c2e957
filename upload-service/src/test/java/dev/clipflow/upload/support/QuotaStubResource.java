package dev.clipflow.upload.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the {@link QuotaStub} and points the quota REST client at it. */
public class QuotaStubResource implements QuarkusTestResourceLifecycleManager {

    private static volatile QuotaStub stub;

    @Override
    public Map<String, String> start() {
        stub = QuotaStub.start();
        return Map.of("quarkus.rest-client.quota.url", stub.url());
    }

    public static QuotaStub quota() {
        return stub;
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
