package dev.clipflow.quota.alert.service;

/** Told when a user document got a pending alert, so the relay can send it without waiting. */
@FunctionalInterface
public interface AlertNotifier {

    void alertsPending();
}
