package dev.clipflow.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** templates/console.yaml: the web console's own Deployment, Service and Ingress rule (console.enabled). */
class ConsoleChartTest {

    private static final String NAME = ChartRenderer.RELEASE + "-clipflow-console";

    @Test
    void offByDefault() {
        assertThat(ChartRenderer.defaults().objects()).noneMatch(o -> o.getMetadata().getName().equals(NAME));
    }

    @Test
    void enabledItServesSlashAndAssetsOnTheApiHostAsAHardenedNginx() {
        var rendered = ChartRenderer.render(List.of(), ChartRenderer.sets("console.enabled", true));
        for (HasMetadata object : List.of(rendered.named(Deployment.class, NAME), rendered.named(Service.class, NAME),
                rendered.named(Ingress.class, NAME))) {
            assertThat(ModelWalker.unknownFields(object)).as(object.getKind()).isEmpty();
        }
        Container nginx = rendered.named(Deployment.class, NAME).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(nginx.getImage()).startsWith("ghcr.io/clipflow/clipflow-console:");
        assertThat(nginx.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(nginx.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(nginx.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
        assertThat(nginx.getResources().getLimits()).containsKey("memory");

        Ingress ingress = rendered.named(Ingress.class, NAME);
        var rule = ingress.getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo(rendered.named(Ingress.class, ChartRenderer.objectName("auth-service"))
                .getSpec().getRules().get(0).getHost());
        assertThat(rule.getHttp().getPaths()).extracting(p -> p.getPath() + " " + p.getPathType())
                .containsExactly("/ Exact", "/assets/ Prefix");
    }
}
