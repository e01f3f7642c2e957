package dev.clipflow.charttest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's DNS (kube-dns stand-in): dnsmasq on the pod network's host address answering the
 * Services' and datastores' names from a hosts file, and NXDOMAIN at once for any other name under
 * {@code svc}/{@code cluster.local} and for private reverse lookups. Without an answering server a
 * pod's resolver (Vert.x's own, not only glibc's) waits out its 5 s timeout on every lookup that
 * /etc/hosts does not settle.
 */
final class ClusterDns implements AutoCloseable {

    private final Process process;

    private ClusterDns(Process process) {
        this.process = process;
    }

    static ClusterDns start(String address, Path dir, String hosts) {
        try {
            Files.createDirectories(dir);
            Path hostsFile = dir.resolve("hosts");
            Files.writeString(hostsFile, hosts);
            Process process = new ProcessBuilder("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                    "--no-resolv", "--no-hosts", "--addn-hosts=" + hostsFile, "--listen-address=" + address,
                    "--bind-interfaces", "--port=53", "--local=/svc/", "--local=/cluster.local/", "--bogus-priv",
                    "--domain-needed", "--user=root", "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
            ClusterDns dns = new ClusterDns(process);
            Runtime.getRuntime().addShutdownHook(new Thread(dns::close));
            if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("dnsmasq exited: " + Files.readString(dir.resolve("dnsmasq.log")));
            }
            return dns;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A pod's /etc/resolv.conf as kubelet writes it (ClusterFirst). */
    static String resolvConf(String nameserver, String namespace) {
        return "nameserver " + nameserver + "\nsearch " + namespace + ".svc.cluster.local svc.cluster.local cluster.local\n"
                + "options ndots:5\n";
    }

    static List<String> requiredTools() {
        return List.of("/usr/sbin/dnsmasq");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
