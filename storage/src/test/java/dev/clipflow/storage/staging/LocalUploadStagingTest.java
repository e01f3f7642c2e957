package dev.clipflow.storage.staging;

import dev.clipflow.storage.local.LocalBlobStore;

import java.nio.file.Files;

class LocalUploadStagingTest extends UploadStagingContractTest {

    @Override
    protected void create() throws Exception {
        LocalBlobStore local = new LocalBlobStore(Files.createTempDirectory("staging"));
        store = local;
        staging = new LocalUploadStaging(local);
    }
}
