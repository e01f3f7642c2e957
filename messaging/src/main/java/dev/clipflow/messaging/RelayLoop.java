package dev.clipflow.messaging;

import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a relay's passes (read what is due, send it through {@link EventSender}, remove what Kafka
 * acknowledged) one at a time: right after something became due ({@link #wake()}), on the owner's
 * timer as the safety net ({@link #tick()}) and on demand ({@link #drainNow()}, which waits for the
 * pass in flight). Made by {@link EventSender#loop}, which stops every loop, each after its pass in
 * flight, before it closes the producer.
 */
public final class RelayLoop {

    /** One pass over at most a batch of due items; returns how many Kafka acknowledged. */
    @FunctionalInterface
    public interface Pass {
        int run();
    }

    private final String name;
    private final Pass pass;
    private final int batchSize;
    /** Held by the one pass in flight (a SKIP LOCKED query would not see the rows it holds). */
    private final ReentrantLock inFlight = new ReentrantLock();
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ExecutorService worker;
    private volatile boolean stopped;

    RelayLoop(String name, int batchSize, Pass pass) {
        this.name = name;
        this.pass = pass;
        this.batchSize = batchSize;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Something became due: a pass runs soon on the loop's thread (or the pass in flight looks again). */
    public void wake() {
        requested.set(true);
        if (stopped) {
            return;
        }
        try {
            worker.execute(this::drainQuietly);
        } catch (RejectedExecutionException e) {
            // stopping: what is due stays for the next start
        }
    }

    /** The timer's pass: skipped while another pass runs (that one looks again when requested). */
    public void tick() {
        drainQuietly();
    }

    /** Sends until nothing due is left, after the pass in flight (if any) has finished; returns how many this call sent. */
    public int drainNow() {
        inFlight.lock();
        try {
            return drain();
        } finally {
            inFlight.unlock();
        }
    }

    private int drain() {
        int total = 0;
        int sent;
        do {
            sent = pass.run();
            total += sent;
        } while (sent >= batchSize);
        return total;
    }

    private void drainQuietly() {
        if (stopped || !inFlight.tryLock()) {
            return;
        }
        try {
            do {
                requested.set(false);
                drain();
            } while (requested.get() && !stopped);
        } catch (RuntimeException e) {
            Log.warnf("%s: pass failed: %s%s", name, e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause() + ")");
        } finally {
            inFlight.unlock();
        }
    }

    /**
     * No new pass starts; waits up to {@code wait} for the pass in flight. Returns false when that
     * pass did not finish in time.
     */
    boolean stop(Duration wait) {
        stopped = true;
        worker.shutdown();
        try {
            if (inFlight.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                inFlight.unlock();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Log.warnf("%s: a pass did not finish within %s; its items stay for the next start", name, wait);
        return false;
    }

    String name() {
        return name;
    }
}
