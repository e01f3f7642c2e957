package dev.clipflow.storage;

/** The key names no object. */
public class BlobNotFoundException extends RuntimeException {

    public BlobNotFoundException(String key) {
        super("No blob " + key, null, false, false);
    }
}
