package dev.clipflow.storage.staging;

import dev.clipflow.storage.local.LocalBlobStore;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the local store without direct I/O (a file system that refuses it, or turned off). */
class BufferedLocalUploadStagingTest extends UploadStagingContractTest {

    @Override
    protected void create() throws Exception {
        LocalBlobStore local = new LocalBlobStore(Files.createTempDirectory("staging"));
        store = local;
        staging = new LocalUploadStaging(local, true, false);
        assertThat(((LocalUploadStaging) staging).directIo()).isFalse();
    }
}
