package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.clipflow.deploy.ChartRenderer.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public routes equal the contract's gateway table exactly: no more (never /internal or /q), no less. */
class RoutesTest {

    @Test
    void ingressRoutesEqualTheContractTable() {
        for (var rendered : List.of(ChartRenderer.defaults(), ChartRenderer.production())) {
            assertThat(ingressRoutes(rendered.all(Ingress.class))).isEqualTo(Contract.ROUTES);
        }
    }

    @Test
    void localGatewayCarriesTheSameTable() throws java.io.IOException {
        // ./clipflow renders the local nginx gateway from this file
        Map<String, String> local = new HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("gateway/routes.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] route = line.split("\t");
                assertThat(local.put(route[0], route[1])).as(route[0]).isNull();
            }
        }
        assertThat(local).isEqualTo(Contract.ROUTES);
    }

    @Test
    void httpRouteEqualsTheContractTable() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets("gatewayApi.enabled", true));
        HTTPRoute route = rendered.all(HTTPRoute.class).stream().findFirst().orElseThrow();
        var routes = new HashMap<String, String>();
        for (var rule : route.getSpec().getRules()) {
            assertThat(rule.getBackendRefs()).singleElement().satisfies(ref ->
                    assertThat(ref.getPort()).isEqualTo(8080));
            String backend = rule.getBackendRefs().get(0).getName();
            for (var match : rule.getMatches()) {
                assertThat(match.getPath().getType()).isEqualTo("PathPrefix");
                assertThat(routes.put(match.getPath().getValue(), serviceOf(backend))).isNull();
            }
        }
        assertThat(routes).isEqualTo(Contract.ROUTES);
        assertThat(route.getSpec().getParentRefs()).singleElement()
                .satisfies(parent -> assertThat(parent.getName()).isEqualTo("clipflow-gateway"));
        var uploadRule = route.getSpec().getRules().stream()
                .filter(rule -> rule.getBackendRefs().get(0).getName().equals(objectName("upload-service")))
                .findFirst().orElseThrow();
        assertThat(uploadRule.getTimeouts().getRequest()).isEqualTo("3600s");
    }

    @Test
    void uploadRoutesAcceptLargeSlowBodiesAndOthersKeepTheDefaults() {
        var rendered = ChartRenderer.defaults();
        var upload = rendered.named(Ingress.class, objectName("upload-service")).getMetadata().getAnnotations();
        assertThat(upload)
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "10240m")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
        var auth = rendered.named(Ingress.class, objectName("auth-service")).getMetadata().getAnnotations();
        assertThat(auth == null ? Map.of() : auth).doesNotContainKey("nginx.ingress.kubernetes.io/proxy-body-size");
    }

    @Test
    void productionIngressTerminatesTlsForTheHost() {
        for (Ingress ingress : ChartRenderer.production().all(Ingress.class)) {
            assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
                assertThat(tls.getHosts()).containsExactly("clipflow.example.com");
                assertThat(tls.getSecretName()).isEqualTo("clipflow-tls");
            });
            assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
            assertThat(ingress.getMetadata().getAnnotations()).doesNotContainKeys(
                    "cert-manager.io/cluster-issuer", "cert-manager.io/issuer");
        }
        // one Certificate for the host: per-Ingress ingress-shim annotations would fight over the Secret
        var certificates = ChartRenderer.production().ofKind("Certificate");
        assertThat(certificates).singleElement().satisfies(object -> {
            @SuppressWarnings("unchecked")
            var spec = (Map<String, Object>) ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) object)
                    .getAdditionalProperties().get("spec");
            assertThat(spec.keySet()).containsOnly("secretName", "dnsNames", "issuerRef");
            assertThat(spec.get("secretName")).isEqualTo("clipflow-tls");
            assertThat(spec.get("dnsNames")).isEqualTo(List.of("clipflow.example.com"));
            assertThat(spec.get("issuerRef")).isEqualTo(Map.of("kind", "ClusterIssuer", "name", "letsencrypt-prod",
                    "group", "cert-manager.io"));
        });
        assertThat(ChartRenderer.defaults().ofKind("Certificate")).isEmpty();
    }

    @Test
    void anInternalRouteCannotBePublished() {
        assertThatThrownBy(() -> ChartRenderer.template(List.of(), ChartRenderer.sets(
                "services.quota-service.routes[0]", "/internal/quota")))
                .hasMessageContaining("routes");
        assertThatThrownBy(() -> ChartRenderer.template(List.of(), ChartRenderer.sets(
                "services.auth-service.routes[0]", "/q/metrics")))
                .hasMessageContaining("routes");
    }

    @Test
    void disabledIngressRendersNoIngress() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets("ingress.enabled", false));
        assertThat(rendered.all(Ingress.class)).isEmpty();
        assertThat(rendered.all(HTTPRoute.class)).isEmpty();
    }

    private static Map<String, String> ingressRoutes(List<Ingress> ingresses) {
        var routes = new HashMap<String, String>();
        for (Ingress ingress : ingresses) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    assertThat(path.getPathType()).isEqualTo("Prefix");
                    assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
                    String previous = routes.put(path.getPath(), serviceOf(path.getBackend().getService().getName()));
                    assertThat(previous).as("duplicate route %s", path.getPath()).isNull();
                }
            }
        }
        return routes;
    }

    private static String serviceOf(String objectName) {
        return objectName.substring((ChartRenderer.RELEASE + "-clipflow-").length());
    }
}
