package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.notify.config.NotifyConfig;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The server-side request forgery guard: a webhook URL must be http(s) without credentials, and every
 * address its host resolves to must be public (not loopback, private, link-local, unique-local, carrier-grade
 * NAT, multicast, reserved or unspecified) unless an operator allow-list names it
 * ({@code clipflow.notify.ssrf.allowed-cidrs}). Checked when an endpoint is saved and again before each
 * request, which then goes to the checked address itself (a DNS answer that changes in between cannot
 * redirect it); redirects are never followed.
 */
@ApplicationScoped
public class TargetGuard {

    /** Ranges that are not the public internet (RFC 6890 and friends), beside what InetAddress knows. */
    private static final List<IpSubnetFilterRule> INTERNAL = List.of(
            rule("0.0.0.0/8"), rule("10.0.0.0/8"), rule("100.64.0.0/10"), rule("127.0.0.0/8"),
            rule("169.254.0.0/16"), rule("172.16.0.0/12"), rule("192.0.0.0/24"), rule("192.168.0.0/16"),
            rule("198.18.0.0/15"), rule("224.0.0.0/4"), rule("240.0.0.0/4"),
            rule("::/128"), rule("::1/128"), rule("fc00::/7"), rule("fe80::/10"), rule("ff00::/8"),
            rule("64:ff9b::/96"), rule("2001:db8::/32"));

    /** Why a target is refused. */
    public static final class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }

    /** A URL that passed: where to connect. */
    public record Target(URI uri, InetAddress address, int port) {
    }

    private final List<IpSubnetFilterRule> allowed;

    public TargetGuard(NotifyConfig config) {
        this.allowed = config.ssrf().allowedCidrs().stream()
                .map(String::trim)
                .filter(c -> !c.isEmpty() && !c.equalsIgnoreCase("none"))
                .map(TargetGuard::rule)
                .toList();
    }

    /** The URL's syntax alone (no DNS): http or https, a host, no user info, no fragment. */
    public static URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("The URL is not valid: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("The URL must start with https:// or http://.");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Refused("The URL has no host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("The URL must not carry credentials.");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("The URL must not have a fragment.");
        }
        return uri;
    }

    /** Parses, resolves and checks every address of the host; the target to connect to. */
    public Target check(String url) throws Refused {
        URI uri = parse(url);
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("The host " + host + " cannot be resolved.");
        }
        for (InetAddress address : addresses) {
            if (internal(address) && !allowed(address)) {
                throw new Refused("The URL's host " + host + " resolves to " + address.getHostAddress()
                        + ", a private, loopback, link-local or reserved address; webhooks go to public addresses only.");
            }
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return new Target(uri, addresses[0], port);
    }

    static boolean internal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        // Netty's rules of one address family never match the other
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return INTERNAL.stream().anyMatch(rule -> rule.matches(socket));
    }

    private boolean allowed(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return allowed.stream().anyMatch(rule -> rule.matches(socket));
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("Not a CIDR range: " + cidr);
        }
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)),
                IpFilterRuleType.REJECT);
    }
}
