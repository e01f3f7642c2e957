package dev.clipflow.storage.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

/**
 * LocalStorageHelper's fake silently ignores compose; this wrapper records each compose request
 * and carries it out (concatenating the sources, setting the CRC32C GCS would report), so code
 * built on compose can be tested end to end against the fake.
 */
public final class RecordingStorage {

    private final Storage storage;
    private final List<Storage.ComposeRequest> composes = new CopyOnWriteArrayList<>();

    private RecordingStorage(Storage delegate) {
        this.storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("compose") && args != null && args.length == 1
                            && args[0] instanceof Storage.ComposeRequest request) {
                        composes.add(request);
                        return compose(delegate, request);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public static RecordingStorage over(Storage delegate) {
        return new RecordingStorage(delegate);
    }

    public Storage storage() {
        return storage;
    }

    public List<Storage.ComposeRequest> composes() {
        return composes;
    }

    private static Blob compose(Storage delegate, Storage.ComposeRequest request) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String bucket = request.getTarget().getBucket();
        for (Storage.ComposeRequest.SourceBlob source : request.getSourceBlobs()) {
            all.writeBytes(delegate.readAllBytes(BlobId.of(bucket, source.getName())));
        }
        byte[] bytes = all.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        BlobInfo target = request.getTarget().toBuilder().setCrc32c(Crc32c.toBase64((int) crc.getValue())).build();
        return delegate.create(target, bytes);
    }
}
