package dev.clipflow.deploy;

import dev.clipflow.deploy.NetworkPolicyModel.Endpoint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.clipflow.deploy.ChartRenderer.NAMESPACE;
import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may reach whom, computed from the rendered NetworkPolicies and the rendered pod labels. */
class NetworkPolicyTest {

    private static final int HTTP = Contract.CONTAINER_PORT;
    private static final Endpoint INGRESS_CONTROLLER = Endpoint.pod("ingress-nginx",
            Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"));
    private static final Endpoint PROMETHEUS = Endpoint.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
    private static final Endpoint OTHER_NAMESPACE_POD = Endpoint.pod("team-b", Map.of("app", "curious"));
    private static final Endpoint SAME_NAMESPACE_STRANGER = Endpoint.pod(NAMESPACE, Map.of("app", "debug-shell"));
    private static final Endpoint KUBE_DNS = Endpoint.pod("kube-system", Map.of("k8s-app", "kube-dns"));
    private static final Endpoint HELM_TEST = Endpoint.pod(NAMESPACE, Map.of(
            "app.kubernetes.io/name", "clipflow", "app.kubernetes.io/instance", ChartRenderer.RELEASE,
            "app.kubernetes.io/component", "helm-test"));

    private static final ChartRenderer.Rendered defaults = ChartRenderer.defaults();
    private static final ChartRenderer.Rendered production = ChartRenderer.production();

    @Test
    void internalCallsAreExactlyTheOnesTheTeamNotesName() {
        for (var rendered : List.of(defaults, production)) {
            var model = model(rendered);
            var allowed = new HashSet<String>();
            for (String from : Contract.SERVICES) {
                for (String to : Contract.SERVICES) {
                    if (!from.equals(to) && model.allowed(pod(rendered, from), pod(rendered, to), HTTP)) {
                        allowed.add(from + "->" + to);
                    }
                }
            }
            assertThat(allowed).isEqualTo(Contract.CALLS);
        }
    }

    @Test
    void namedPairsFromTheIssue() {
        var model = model(defaults);
        assertThat(model.allowed(pod(defaults, "catalog-service"), pod(defaults, "quota-service"), HTTP)).isTrue();
        assertThat(model.allowed(pod(defaults, "upload-service"), pod(defaults, "quota-service"), HTTP)).isTrue();
        assertThat(model.allowed(pod(defaults, "transcode-service"), pod(defaults, "quota-service"), HTTP)).isFalse();
        assertThat(model.allowed(pod(defaults, "quota-service"), pod(defaults, "catalog-service"), HTTP)).isFalse();
        assertThat(model.allowed(INGRESS_CONTROLLER, pod(defaults, "auth-service"), HTTP)).isTrue();
    }

    @Test
    void theIngressControllerReachesEveryRoutedServiceOnlyOnItsHttpPort() {
        var model = model(defaults);
        for (String service : Contract.SERVICES) {
            assertThat(model.allowed(INGRESS_CONTROLLER, pod(defaults, service), HTTP)).as(service).isTrue();
            assertThat(model.allowed(INGRESS_CONTROLLER, pod(defaults, service), 9000)).as(service).isFalse();
            assertThat(model.allowed(INGRESS_CONTROLLER, pod(defaults, service), 5005)).as(service).isFalse();
        }
    }

    @Test
    void nothingElseFromOutsideReachesAnyService() {
        for (var rendered : List.of(defaults, production)) {
            var model = model(rendered);
            for (String service : Contract.SERVICES) {
                for (int port : List.of(HTTP, 9000, 8443, 5432)) {
                    assertThat(model.allowed(OTHER_NAMESPACE_POD, pod(rendered, service), port)).as(service).isFalse();
                    assertThat(model.allowed(SAME_NAMESPACE_STRANGER, pod(rendered, service), port)).as(service).isFalse();
                    assertThat(model.allowed(Endpoint.address("203.0.113.7"), pod(rendered, service), port)).isFalse();
                }
                // monitoring scrapes /q/metrics and the helm test checks readiness, both on the HTTP port only
                assertThat(model.allowed(PROMETHEUS, pod(rendered, service), HTTP)).isTrue();
                assertThat(model.allowed(PROMETHEUS, pod(rendered, service), 9000)).isFalse();
                assertThat(model.allowed(HELM_TEST, pod(rendered, service), HTTP)).isTrue();
            }
        }
    }

    @Test
    void withoutRoutesPublishedTheIngressControllerIsShutOut() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets("ingress.enabled", false));
        var model = model(rendered);
        for (String service : Contract.SERVICES) {
            assertThat(model.allowed(INGRESS_CONTROLLER, pod(rendered, service), HTTP)).isFalse();
        }
    }

    @Test
    void egressGoesOnlyToTheServicesOwnDatastoresAndDns() {
        var model = model(defaults);
        var anywhere = Endpoint.address("10.99.1.2");
        for (String service : Contract.SERVICES) {
            var from = pod(defaults, service);
            var stores = Contract.DATASTORES.get(service);
            assertThat(model.allowed(from, KUBE_DNS, 53, "UDP")).as(service).isTrue();
            assertThat(model.allowed(from, anywhere, 5432)).as(service + " -> postgresql").isEqualTo(stores.contains("postgresql"));
            assertThat(model.allowed(from, anywhere, 27017)).as(service + " -> mongodb").isEqualTo(stores.contains("mongodb"));
            assertThat(model.allowed(from, anywhere, 9092)).as(service + " -> kafka").isTrue();
            assertThat(model.allowed(from, anywhere, 443)).as(service + " -> internet (local storage)").isFalse();
            assertThat(model.allowed(from, anywhere, 22)).as(service).isFalse();
            assertThat(model.allowed(from, OTHER_NAMESPACE_POD, HTTP)).as(service).isFalse();
        }
        // webhooks: the public internet on any port, never a private or link-local address
        var notify = pod(defaults, "notify-service");
        assertThat(model.allowed(notify, Endpoint.address("142.250.74.110"), 8443)).isTrue();
        assertThat(model.allowed(notify, Endpoint.address("169.254.169.254"), 80)).isFalse();
        assertThat(model.allowed(notify, Endpoint.address("192.168.4.4"), 443)).isFalse();
        assertThat(model.allowed(pod(defaults, "catalog-service"), Endpoint.address("142.250.74.110"), 443)).isFalse();
        // SMTP for the activation mail: auth-service only
        assertThat(model.allowed(pod(defaults, "auth-service"), anywhere, 587)).isTrue();
        assertThat(model.allowed(pod(defaults, "catalog-service"), anywhere, 587)).isFalse();
    }

    @Test
    void productionEgressIsNarrowedToTheConfiguredNetworks() {
        var model = model(production);
        var cloudSql = Endpoint.address("10.20.0.5");
        var mongo = Endpoint.address("10.30.0.9");
        var googleApis = Endpoint.address("199.36.153.9");
        var metadata = Endpoint.address("169.254.169.254");
        var kafkaBroker = Endpoint.pod("kafka", Map.of("strimzi.io/cluster", "clipflow", "strimzi.io/kind", "Kafka"));
        for (String service : Contract.SERVICES) {
            var from = pod(production, service);
            var stores = Contract.DATASTORES.get(service);
            assertThat(model.allowed(from, cloudSql, 5432)).as(service).isEqualTo(stores.contains("postgresql"));
            assertThat(model.allowed(from, Endpoint.address("10.21.0.5"), 5432)).as(service).isFalse();
            assertThat(model.allowed(from, mongo, 27017)).as(service).isEqualTo(stores.contains("mongodb"));
            assertThat(model.allowed(from, kafkaBroker, 9093)).as(service).isTrue();
            assertThat(model.allowed(from, Endpoint.address("10.99.0.1"), 9093)).as(service).isFalse();
            // Google's public API range is "the internet" to the webhook sender, which may reach any public address
            assertThat(model.allowed(from, googleApis, 443)).as(service)
                    .isEqualTo(stores.contains("blobstore") || stores.contains("webhooks"));
            assertThat(model.allowed(from, metadata, 80)).as(service).isEqualTo(stores.contains("blobstore"));
            assertThat(model.allowed(from, Endpoint.address("142.250.74.110"), 443)).as(service)
                    .isEqualTo(stores.contains("webhooks"));
        }
    }

    @Test
    void everyServicePodIsSelectedByADefaultDenyPolicyInBothDirections() {
        for (String service : Contract.SERVICES) {
            var policy = defaults.named(NetworkPolicy.class, objectName(service));
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(NetworkPolicyModel.matches(policy.getSpec().getPodSelector(),
                    pod(defaults, service).labels())).isTrue();
        }
        var disabled = ChartRenderer.render(List.of(), ChartRenderer.sets("networkPolicy.enabled", false));
        assertThat(disabled.all(NetworkPolicy.class)).isEmpty();
    }

    private static NetworkPolicyModel model(ChartRenderer.Rendered rendered) {
        return new NetworkPolicyModel(rendered.all(NetworkPolicy.class));
    }

    private static Endpoint pod(ChartRenderer.Rendered rendered, String service) {
        Deployment deployment = rendered.named(Deployment.class, objectName(service));
        return Endpoint.pod(deployment.getMetadata().getNamespace(),
                deployment.getSpec().getTemplate().getMetadata().getLabels());
    }
}
