package dev.clipflow.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Six more channels of the test application (topics {@code shutdown.0} to {@code shutdown.5}), so that
 * it stops like a service with several consumers in one group ({@link ShutdownTest}).
 */
@Singleton
public class ShutdownChannels {

    static final int COUNT = 6;

    /** The key of every record taken. */
    final Set<String> taken = ConcurrentHashMap.newKeySet();

    @Incoming("shutdown-0")
    @Blocking
    public void zero(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    @Incoming("shutdown-1")
    @Blocking
    public void one(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    @Incoming("shutdown-2")
    @Blocking
    public void two(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    @Incoming("shutdown-3")
    @Blocking
    public void three(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    @Incoming("shutdown-4")
    @Blocking
    public void four(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    @Incoming("shutdown-5")
    @Blocking
    public void five(ConsumerRecord<String, byte[]> record) {
        take(record);
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        taken.add(record.key());
    }
}
