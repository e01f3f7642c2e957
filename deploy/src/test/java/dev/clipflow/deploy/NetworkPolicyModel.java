package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates rendered NetworkPolicies the way the Kubernetes API defines them: a connection from a
 * source to a destination port is allowed when the source's egress (if any policy selects the
 * source for Egress) and the destination's ingress (if any policy selects it for Ingress) both let
 * it through. Peers: podSelector / namespaceSelector (AND when both), ipBlock for addresses outside
 * the cluster; an empty peer list means everywhere, an empty port list every port.
 */
final class NetworkPolicyModel {

    /** A pod (namespace + labels) or an address outside the cluster (ip). */
    record Endpoint(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels, String ip) {

        static Endpoint pod(String namespace, Map<String, String> labels) {
            return new Endpoint(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, null);
        }

        static Endpoint address(String ip) {
            return new Endpoint(null, Map.of(), Map.of(), ip);
        }

        boolean isPod() {
            return ip == null;
        }
    }

    private final List<NetworkPolicy> policies;

    NetworkPolicyModel(List<NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    boolean allowed(Endpoint from, Endpoint to, int port, String protocol) {
        return egressAllowed(from, to, port, protocol) && ingressAllowed(from, to, port, protocol);
    }

    boolean allowed(Endpoint from, Endpoint to, int port) {
        return allowed(from, to, port, "TCP");
    }

    private boolean egressAllowed(Endpoint from, Endpoint to, int port, String protocol) {
        if (!from.isPod()) {
            return true;
        }
        var selecting = selecting(from, "Egress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().anyMatch(policy -> policy.getSpec().getEgress() != null
                && policy.getSpec().getEgress().stream().anyMatch(rule ->
                        peersMatch(rule.getTo(), to, policy) && portsMatch(rule.getPorts(), port, protocol)));
    }

    private boolean ingressAllowed(Endpoint from, Endpoint to, int port, String protocol) {
        if (!to.isPod()) {
            return true;
        }
        var selecting = selecting(to, "Ingress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().anyMatch(policy -> policy.getSpec().getIngress() != null
                && policy.getSpec().getIngress().stream().anyMatch(rule ->
                        peersMatch(rule.getFrom(), from, policy) && portsMatch(rule.getPorts(), port, protocol)));
    }

    private List<NetworkPolicy> selecting(Endpoint pod, String type) {
        return policies.stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), pod.namespace()))
                .filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
                .filter(p -> policyTypes(p).contains(type))
                .toList();
    }

    private static List<String> policyTypes(NetworkPolicy policy) {
        var types = policy.getSpec().getPolicyTypes();
        if (types != null && !types.isEmpty()) {
            return types;
        }
        var egress = policy.getSpec().getEgress();
        return egress != null && !egress.isEmpty() ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, Endpoint endpoint, NetworkPolicy policy) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> peerMatches(peer, endpoint, policy.getMetadata().getNamespace()));
    }

    private static boolean peerMatches(NetworkPolicyPeer peer, Endpoint endpoint, String policyNamespace) {
        if (peer.getIpBlock() != null) {
            return !endpoint.isPod() && inBlock(endpoint.ip(), peer.getIpBlock());
        }
        if (!endpoint.isPod()) {
            return false;
        }
        boolean namespaceOk = peer.getNamespaceSelector() == null
                ? Objects.equals(endpoint.namespace(), policyNamespace)
                : matches(peer.getNamespaceSelector(), endpoint.namespaceLabels());
        boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), endpoint.labels());
        return namespaceOk && podOk;
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, int port, String protocol) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> {
            String portProtocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!portProtocol.equals(protocol)) {
                return false;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.getIntVal() == null) {
                throw new IllegalArgumentException("named ports are not evaluated here: " + value.getStrVal());
            }
            int first = value.getIntVal();
            int last = p.getEndPort() == null ? first : p.getEndPort();
            return port >= first && port <= last;
        });
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (var entry : selector.getMatchLabels().entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String actual = labels.get(requirement.getKey());
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> actual != null && requirement.getValues().contains(actual);
                    case "NotIn" -> actual == null || !requirement.getValues().contains(actual);
                    case "Exists" -> actual != null;
                    case "DoesNotExist" -> actual == null;
                    default -> throw new IllegalArgumentException(requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean inBlock(String ip, IPBlock block) {
        if (!inCidr(ip, block.getCidr())) {
            return false;
        }
        return block.getExcept() == null || block.getExcept().stream().noneMatch(except -> inCidr(ip, except));
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }
}
