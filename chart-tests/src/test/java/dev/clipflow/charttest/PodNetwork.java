package dev.clipflow.charttest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cluster network without a cluster: a Linux bridge with a /24 of its own, one network
 * namespace per pod (veth into the bridge, {@code eth0} with the pod IP, its own loopback), and
 * extra addresses on the bridge for the Services' ClusterIPs. The host side of the bridge
 * ({@code .1}) is where the test's servers (PostgreSQL, Kafka, MongoDB, SMTP) and the ingress
 * listen. A pod reaches only what is on the bridge: a {@code localhost} default in a service is its
 * own loopback, as in a real pod, never another program of this machine.
 */
final class PodNetwork implements AutoCloseable {

    private final String subnet;
    private final String bridge;
    private final List<String> namespaces = new ArrayList<>();
    private int nextPod = 10;
    private int nextService = 200;

    private PodNetwork(String subnet, String bridge) {
        this.subnet = subnet;
        this.bridge = bridge;
    }

    /** A bridge on a free 10.233.N.0/24 (N random, checked against the machine's addresses). */
    static PodNetwork create() {
        String addresses = ip("-o", "-4", "addr");
        String links = ip("-o", "link");
        for (int attempt = 0; attempt < 50; attempt++) {
            int octet = ThreadLocalRandom.current().nextInt(1, 255);
            String subnet = "10.233." + octet;
            String bridge = "cfct" + octet;
            if (addresses.contains(" " + subnet + ".") || links.contains(" " + bridge + ":")) {
                continue;
            }
            ip("link", "add", bridge, "type", "bridge");
            PodNetwork network = new PodNetwork(subnet, bridge);
            Runtime.getRuntime().addShutdownHook(new Thread(network::close));
            ip("addr", "add", network.hostIp() + "/24", "dev", bridge);
            ip("link", "set", bridge, "up");
            return network;
        }
        throw new IllegalStateException("No free 10.233.N.0/24 for the pod network");
    }

    /** The host's address on the bridge: the test's servers and the ingress listen here. */
    String hostIp() {
        return subnet + ".1";
    }

    /** A new ClusterIP (an address of the bridge, where the Service's proxy listens). */
    synchronized String serviceIp() {
        String address = subnet + "." + nextService++;
        ip("addr", "add", address + "/32", "dev", bridge);
        return address;
    }

    /** A pod's network namespace with {@code eth0} on the bridge; returns the namespace name and the pod IP. */
    synchronized Attachment attachPod() {
        int host = nextPod++;
        String namespace = bridge + "-" + host;
        String veth = bridge + "v" + host;
        String address = subnet + "." + host;
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        ip("link", "set", veth, "master", bridge, "up");
        ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "route", "add", "default", "via", hostIp());
        return new Attachment(namespace, address);
    }

    record Attachment(String namespace, String podIp) {
    }

    @Override
    public synchronized void close() {
        for (String namespace : namespaces) {
            quietly("netns", "del", namespace);
        }
        namespaces.clear();
        quietly("link", "del", bridge);
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (RuntimeException alreadyGone) {
            // deleted before (close runs from the test and from the shutdown hook)
        }
    }

    static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output
                        + " (the chart tests need root for network namespaces)");
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
