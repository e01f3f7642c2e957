package dev.clipflow.charttest;

import dev.clipflow.testinfra.servers.RepoRoot;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chart installed without a cluster: rendered with helm-java, its external datastores started
 * as real servers ({@link Infra}), every Deployment run as {@value #REPLICAS} pods ({@link Pod}) in
 * their own network namespaces ({@link PodNetwork}), the Services and the Ingress served by nginx
 * ({@link Proxies}). Started once per test class; {@link #close()} stops everything.
 */
final class ChartStack implements AutoCloseable {

    /** Replicas of every Deployment: two, so that anything kept per process shows up. */
    static final int REPLICAS = 2;
    static final int INGRESS_PORT = 80;
    /** Pods starting at the same time (see {@link #awaitAll}). */
    static final int STARTING_AT_ONCE = 2;

    final String variant;
    final Path work;
    final TestSecrets secrets;
    final PodNetwork network;
    final Infra infra;
    final RenderedChart chart;
    final Map<String, List<Pod>> pods = new LinkedHashMap<>();
    final Map<String, String> clusterIps = new LinkedHashMap<>();
    final Proxies proxies;
    final Duration startup;
    private final List<AutoCloseable> others = new ArrayList<>();

    private ChartStack(String variant, Path work, TestSecrets secrets, PodNetwork network, Infra infra,
            RenderedChart chart, Proxies proxies, Duration startup) {
        this.variant = variant;
        this.work = work;
        this.secrets = secrets;
        this.network = network;
        this.infra = infra;
        this.chart = chart;
        this.proxies = proxies;
        this.startup = startup;
    }

    /**
     * Renders the chart with {@code valuesFiles} (after which values-test.yaml and {@code extraValues} are
     * applied) and starts everything; throws, naming every pod that did not come up and why.
     */
    static ChartStack start(String variant, List<Path> valuesFiles, List<Path> extraValues) {
        long started = System.nanoTime();
        Path work = Path.of(System.getProperty("clipflow.chart.work", "target/chart-stack")).toAbsolutePath()
                .resolve(variant);
        deleteRecursively(work);
        requireTools();
        TestSecrets secrets = new TestSecrets();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            PodNetwork network = PodNetwork.create();
            opened.add(network);
            Infra infra = Infra.start(network.hostIp(), work.resolve("infra"), secrets);
            opened.add(infra);
            secrets.put("clipflow-mongodb", "connection-string", "mongodb://mongodb.infra.svc:" + infra.mongoPort);

            List<Path> files = new ArrayList<>(valuesFiles);
            files.add(resource("values-test.yaml"));
            files.addAll(extraValues);
            RenderedChart chart = RenderedChart.render(files, Map.of("postgresql.port", infra.postgresPort),
                    work.resolve("rendered.yaml"));
            createDatabases(chart, infra);

            // Services: a ClusterIP each, resolvable by the names a pod would use
            Map<String, String> clusterIps = new LinkedHashMap<>();
            StringBuilder hosts = new StringBuilder();
            for (Service service : chart.services()) {
                String ip = network.serviceIp();
                String name = service.getMetadata().getName();
                String namespace = service.getMetadata().getNamespace();
                clusterIps.put(name, ip);
                hosts.append(ip).append(' ').append(name).append('.').append(namespace).append(".svc.cluster.local ")
                        .append(name).append('.').append(namespace).append(".svc ")
                        .append(name).append('.').append(namespace).append(' ').append(name).append('\n');
            }
            for (String infraName : List.of("postgresql", "kafka", "mongodb", "smtp")) {
                hosts.append(network.hostIp()).append(' ').append(infraName).append(".infra.svc\n");
            }
            opened.add(0, ClusterDns.start(network.hostIp(), work.resolve("dns"), hosts.toString()));

            // Pods: REPLICAS of every Deployment, each in its namespace
            Pod.Context context = new Pod.Context(chart, secrets, work, RepoRoot.find(), hosts.toString());
            Map<String, List<Pod>> pods = new LinkedHashMap<>();
            for (Deployment deployment : chart.deployments()) {
                List<Pod> replicas = new ArrayList<>();
                for (int i = 0; i < REPLICAS; i++) {
                    replicas.add(Pod.prepare(deployment, i, network.attachPod(), context));
                }
                pods.put(RenderedChart.component(deployment), replicas);
            }
            opened.addAll(0, pods.values().stream().flatMap(List::stream).toList());

            List<Proxies.ServiceProxy> serviceProxies = new ArrayList<>();
            for (Service service : chart.services()) {
                Map<String, String> selector = service.getSpec().getSelector();
                List<Pod> backends = pods.values().stream().flatMap(List::stream)
                        .filter(p -> p.deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                                .containsAll(selector.entrySet()))
                        .toList();
                var port = service.getSpec().getPorts().get(0);
                int targetPort = backends.isEmpty() ? port.getPort() : targetPort(backends.get(0), port.getTargetPort());
                serviceProxies.add(new Proxies.ServiceProxy(service, clusterIps.get(service.getMetadata().getName()),
                        port.getPort(), backends.stream().map(p -> p.ip).toList(), targetPort));
            }
            Proxies proxies = Proxies.start(work.resolve("proxies"), serviceProxies, chart.ingresses(),
                    network.hostIp(), INGRESS_PORT);
            opened.add(0, proxies);

            awaitAll(pods);
            ChartStack stack = new ChartStack(variant, work, secrets, network, infra, chart, proxies,
                    Duration.ofNanos(System.nanoTime() - started));
            stack.others.addAll(opened.stream().filter(ClusterDns.class::isInstance).toList());
            stack.pods.putAll(pods);
            stack.clusterIps.putAll(clusterIps);
            return stack;
        } catch (RuntimeException | Error e) {
            if (Boolean.getBoolean("clipflow.chart.keep")) {
                System.err.println("-Dclipflow.chart.keep=true: the failed stack stays up 20 minutes for a look ("
                        + work + "):\n" + e.getMessage());
                try {
                    Thread.sleep(Duration.ofMinutes(20).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            for (AutoCloseable closeable : opened) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    private static int targetPort(Pod pod, io.fabric8.kubernetes.api.model.IntOrString target) {
        if (target == null) {
            return pod.deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        return pod.deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> target.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no container port named " + target.getStrVal()))
                .getContainerPort();
    }

    /**
     * Starts every pod and waits until each is ready; one error naming each pod that failed (all of them, not
     * only the first). A cluster spreads a fresh install's pods over its nodes; this machine has two cores, so
     * at most {@value #STARTING_AT_ONCE} pods start at a time (auth-service first, as its JWKS is what the
     * others verify with), each with its startup probe's budget.
     */
    private static void awaitAll(Map<String, List<Pod>> pods) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Pod> all = pods.values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing((Pod p) -> !p.service.equals("auth-service"))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(STARTING_AT_ONCE);
        try {
            Map<Pod, Future<?>> waits = new LinkedHashMap<>();
            for (Pod pod : all) {
                waits.put(pod, pool.submit(() -> pod.startAndAwaitReady(http)));
            }
            List<String> failures = new ArrayList<>();
            for (var wait : waits.entrySet()) {
                try {
                    wait.getValue().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " of " + all.size()
                        + " pods did not become ready as the chart runs them:\n\n" + String.join("\n\n", failures));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every database a rendered JDBC URL names. */
    private static void createDatabases(RenderedChart chart, Infra infra) {
        Pattern database = Pattern.compile("jdbc:postgresql://[^/]+/([a-z_][a-z0-9_]*)");
        for (var map : chart.all(io.fabric8.kubernetes.api.model.ConfigMap.class)) {
            String url = map.getData() == null ? null : map.getData().get("QUARKUS_DATASOURCE_JDBC_URL");
            if (url != null) {
                Matcher matcher = database.matcher(url);
                if (matcher.find()) {
                    infra.ensureDatabase(matcher.group(1));
                }
            }
        }
    }

    private static void requireTools() {
        for (String tool : List.of("/usr/bin/bwrap", "/usr/bin/setpriv", "/usr/sbin/nginx", "/usr/sbin/dnsmasq",
                "/usr/bin/nsenter")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: ./clipflow test installs it (apt-get install"
                        + " bubblewrap iproute2 dnsmasq-base nginx-light), or run apt-get yourself");
            }
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(ChartStack.class.getResource("/" + name).toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    /** The ingress, as a user reaches the platform. */
    String gateway() {
        return "http://" + network.hostIp() + ":" + INGRESS_PORT;
    }

    List<Pod> pods(String service) {
        return pods.get(service);
    }

    /** The public host of the rendered Ingresses (where users' links must point). */
    String ingressHost() {
        return chart.ingresses().get(0).getSpec().getRules().get(0).getHost();
    }

    boolean ingressTls() {
        var tls = chart.ingresses().get(0).getSpec().getTls();
        return tls != null && !tls.isEmpty();
    }

    /** Any pod that died since it became ready (a crash, an OOM exit), with its log. */
    List<String> deadPods() {
        return pods.values().stream().flatMap(List::stream).filter(p -> !p.alive())
                .map(p -> p.name + ":\n" + p.tail(30)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        // every pod at once, as kubelet stops an uninstalled release's pods: each takes its own shutdown time (5-20 s,
        // its Kafka consumers leaving their group), and a parallel stream ran only two at a time on two cores
        List<Pod> all = pods.values().stream().flatMap(List::stream).toList();
        ExecutorService stopping = Executors.newFixedThreadPool(Math.max(1, all.size()));
        all.forEach(pod -> stopping.submit(pod::close));
        stopping.shutdown();
        try {
            stopping.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        proxies.close();
        for (AutoCloseable other : others) {
            try {
                other.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        infra.close();
        network.close();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
