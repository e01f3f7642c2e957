package dev.clipflow.auth.web;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's address as the gateway saw it. A proxy appends the address it received a request from to
 * {@code X-Forwarded-For}, after whatever the client wrote there, so only the right end is trustworthy: from
 * the connection's own peer leftwards, every hop that is a trusted proxy
 * ({@code quarkus.http.proxy.trusted-proxies}) is skipped and the first one that is not is the client.
 * (Quarkus' own forwarding support takes the leftmost entry: the client's choice.)
 */
@ApplicationScoped
public class ClientAddresses {

    private final List<Network> trusted;

    public ClientAddresses(@ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trusted) {
        this.trusted = trusted.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Network::parse).flatMap(Optional::stream).toList();
    }

    public String of(HttpServerRequest request) {
        var peer = request.connection() == null ? null : request.connection().remoteAddress();
        String address = peer == null ? null : peer.hostAddress();
        if (address == null) {
            return "unknown";
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && trusted(address); i--) {
            String hop = bare(hops.get(i));
            if (hop == null) {
                return address; // garbage from the left: the last address we could trust stands
            }
            address = hop;
        }
        return address;
    }

    boolean trusted(String address) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        return bytes != null && trusted.stream().anyMatch(n -> n.contains(bytes));
    }

    /** An IP literal without port or brackets, or null when the hop is not one. */
    private static String bare(String hop) {
        String value = hop;
        if (value.startsWith("[") && value.contains("]")) {
            value = value.substring(1, value.indexOf(']'));
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':')); // IPv4 with port
        }
        return NetUtil.isValidIpV4Address(value) || NetUtil.isValidIpV6Address(value) ? value : null;
    }

    /** An address range such as {@code 10.0.0.0/8}, {@code ::1} or {@code 127.0.0.1}. */
    record Network(byte[] address, int prefix) {

        static Optional<Network> parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
            if (bytes == null) {
                return Optional.empty(); // a host name: Quarkus resolves those; we only match literals
            }
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            return Optional.of(new Network(bytes, prefix));
        }

        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }
}
